package dev.konductor.controllers.endpoints;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's endpoints controller: keeps a core/v1 Endpoints object, named like its Service, in
 * step with the pods the Service selects. Services without a selector are left to their users.
 */
public final class EndpointsController implements Controller {

    public static final String NAME = "endpoint-controller";
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";

    private KubernetesClient client;
    private Lister<Service> services;
    private Lister<Pod> pods;
    private Lister<Endpoints> endpoints;
    private CoreEvents events;
    private ControllerLoop loop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        services = context.informers().lister(Service.class);
        pods = context.informers().lister(Pod.class);
        endpoints = context.informers().lister(Endpoints.class);
        events = context.events(NAME);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());
        context.informers().of(Service.class).addEventHandler(handler(this::enqueueService));
        context.informers().of(Pod.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueueServicesOf(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                enqueueServicesOf(oldPod);
                enqueueServicesOf(newPod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                enqueueServicesOf(pod);
            }
        });
        // an Endpoints deleted by someone else is put back
        context.informers().of(Endpoints.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Endpoints obj) {
            }

            @Override
            public void onUpdate(Endpoints oldObj, Endpoints newObj) {
            }

            @Override
            public void onDelete(Endpoints obj, boolean finalStateUnknown) {
                loop.enqueue(Keys.of(obj));
            }
        });
        loop.start(context.informers()::synced);
    }

    private void enqueueService(Service service) {
        loop.enqueue(Keys.of(service));
    }

    private void enqueueServicesOf(Pod pod) {
        for (Service service : services.list(pod.getMetadata().getNamespace())) {
            if (ServicePods.selects(service, pod)) {
                loop.enqueue(Keys.of(service));
            }
        }
    }

    Result reconcile(String key) {
        String namespace = Keys.namespace(key);
        String name = Keys.name(key);
        Optional<Service> found = services.get(key);
        if (found.isEmpty()) {
            client.endpoints().inNamespace(namespace).withName(name).delete();
            return Result.done();
        }
        Service service = found.get();
        if (!ServicePods.managesEndpoints(service)) {
            return Result.done();
        }
        List<Pod> selected = pods.list(namespace).stream().filter(p -> ServicePods.selects(service, p)).toList();
        DesiredEndpoints desired = DesiredEndpoints.of(service, selected);
        Map<String, String> labels = labels(service);
        Optional<Endpoints> current = endpoints.get(key);
        if (current.isPresent() && upToDate(current.get(), desired, labels)) {
            return Result.done();
        }
        Map<String, String> annotations = new HashMap<>();
        current.map(e -> e.getMetadata().getAnnotations()).ifPresent(annotations::putAll);
        ServicePods.lastChangeTriggerTime(service, selected).ifPresent(t -> annotations.put(TRIGGER_TIME, t));
        if (desired.truncated()) {
            annotations.put(OVER_CAPACITY, "truncated");
        } else {
            annotations.remove(OVER_CAPACITY);
        }
        Endpoints updated = new EndpointsBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .withResourceVersion(current.map(e -> e.getMetadata().getResourceVersion()).orElse(null))
                .endMetadata()
                .withSubsets(desired.subsets())
                .build();
        try {
            if (current.isEmpty()) {
                client.endpoints().inNamespace(namespace).resource(updated).create();
            } else {
                client.endpoints().inNamespace(namespace).resource(updated).update();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                String verb = current.isEmpty() ? "Create" : "Update";
                events.warning(service, "FailedTo" + verb + "Endpoint", "Failed to " + verb.toLowerCase()
                        + " endpoint " + key + ": " + e.getMessage());
            }
            throw e;
        }
        return Result.done();
    }

    private static boolean upToDate(Endpoints current, DesiredEndpoints desired, Map<String, String> labels) {
        List<?> subsets = current.getSubsets() == null ? List.of() : current.getSubsets();
        Map<String, String> annotations = current.getMetadata().getAnnotations() == null ? Map.of()
                : current.getMetadata().getAnnotations();
        boolean capacityNoted = desired.truncated() == "truncated".equals(annotations.get(OVER_CAPACITY));
        Map<String, String> currentLabels = current.getMetadata().getLabels() == null ? Map.of()
                : current.getMetadata().getLabels();
        return subsets.equals(desired.subsets()) && currentLabels.equals(labels) && capacityNoted;
    }

    /** The Service's labels, plus the headless marker for a service without a cluster IP. */
    static Map<String, String> labels(Service service) {
        Map<String, String> labels = new HashMap<>();
        if (service.getMetadata().getLabels() != null) {
            labels.putAll(service.getMetadata().getLabels());
        }
        if (ServicePods.isHeadless(service)) {
            labels.put(HEADLESS_LABEL, "");
        } else {
            labels.remove(HEADLESS_LABEL);
        }
        return labels;
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> ResourceEventHandler<T> handler(
            java.util.function.Consumer<T> enqueue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                enqueue.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (!Objects.equals(oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion())) {
                    enqueue.accept(newObj);
                }
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                enqueue.accept(obj);
            }
        };
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
