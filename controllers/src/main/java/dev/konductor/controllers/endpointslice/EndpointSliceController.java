package dev.konductor.controllers.endpointslice;

import dev.konductor.controllers.endpoints.ServicePods;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's EndpointSlice controller: keeps discovery.k8s.io/v1 EndpointSlices
 * ({@code <service>-<random>}, labelled with the service name and this controller as manager,
 * owned by the Service) in step with the pods each Service with a selector picks.
 */
public final class EndpointSliceController implements Controller {

    public static final String NAME = "endpointslice-controller";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private final SlicePlanner planner;
    private final SliceTracker tracker = new SliceTracker();
    private KubernetesClient client;
    private Lister<Service> services;
    private Lister<Pod> pods;
    private Lister<EndpointSlice> slices;
    private Lister<Node> nodes;
    private ControllerLoop loop;

    public EndpointSliceController() {
        this(SlicePlanner.MAX_ENDPOINTS_PER_SLICE);
    }

    /** @param maxEndpointsPerSlice upstream's --max-endpoints-per-slice (100) */
    public EndpointSliceController(int maxEndpointsPerSlice) {
        this.planner = new SlicePlanner(maxEndpointsPerSlice);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        services = context.informers().lister(Service.class);
        pods = context.informers().lister(Pod.class);
        slices = context.informers().lister(EndpointSlice.class);
        nodes = context.informers().lister(Node.class);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());
        context.informers().of(Service.class).addEventHandler(new Enqueuer<>(s -> loop.enqueue(Keys.of(s))));
        context.informers().of(Pod.class).addEventHandler(new Enqueuer<>(this::enqueueServicesOf));
        context.informers().of(EndpointSlice.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice slice) {
                enqueueOwner(slice);
            }

            @Override
            public void onUpdate(EndpointSlice oldSlice, EndpointSlice newSlice) {
                enqueueOwner(newSlice);
            }

            @Override
            public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
                // deleted by someone else, maybe: whatever we wrote to it last no longer counts
                serviceKey(slice).ifPresent(key -> tracker.gone(key, slice.getMetadata().getName()));
                enqueueOwner(slice);
            }
        });
        loop.start(context.informers()::synced);
    }

    private void enqueueServicesOf(Pod pod) {
        for (Service service : services.list(pod.getMetadata().getNamespace())) {
            if (ServicePods.selects(service, pod)) {
                loop.enqueue(Keys.of(service));
            }
        }
    }

    private void enqueueOwner(EndpointSlice slice) {
        serviceKey(slice).ifPresent(loop::enqueue);
    }

    /** The key of the Service a slice of ours belongs to. */
    private static Optional<String> serviceKey(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        if (labels != null && SlicePlanner.MANAGED_BY.equals(labels.get(SlicePlanner.MANAGED_BY_LABEL))
                && labels.containsKey(SlicePlanner.SERVICE_NAME_LABEL)) {
            return Optional.of(Keys.of(slice.getMetadata().getNamespace(), labels.get(SlicePlanner.SERVICE_NAME_LABEL)));
        }
        return Optional.empty();
    }

    Result reconcile(String key) {
        String namespace = Keys.namespace(key);
        String name = Keys.name(key);
        List<EndpointSlice> existing = slices.list(namespace).stream().filter(s -> managedFor(s, name)).toList();
        if (tracker.stale(key, existing)) {
            // our own last writes are not in the cache yet; planning now could duplicate endpoints
            return Result.after(Duration.ofMillis(100));
        }
        Optional<Service> found = services.get(key);
        if (found.isEmpty()) {
            // the garbage collector would remove them too (they are owned by the Service)
            for (EndpointSlice slice : existing) {
                client.resource(slice).delete();
            }
            tracker.forget(key);
            return Result.done();
        }
        Service service = found.get();
        if (!ServicePods.managesEndpoints(service)) {
            return Result.done();
        }
        List<Pod> selected = pods.list(namespace).stream().filter(p -> ServicePods.selects(service, p)).toList();
        SlicePlanner.Plan plan = planner.plan(service, selected, zones(), existing, ServicePods.lastChangeTriggerTime(service, selected));
        for (EndpointSlice slice : plan.create()) {
            tracker.created(key, client.resource(slice).create());
        }
        for (EndpointSlice slice : plan.update()) {
            tracker.updated(key, client.resource(slice).update());
        }
        for (EndpointSlice slice : plan.delete()) {
            client.resource(slice).delete();
            tracker.deleted(key, slice);
        }
        return Result.done();
    }

    private static boolean managedFor(EndpointSlice slice, String serviceName) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        return labels != null && serviceName.equals(labels.get(SlicePlanner.SERVICE_NAME_LABEL))
                && SlicePlanner.MANAGED_BY.equals(labels.get(SlicePlanner.MANAGED_BY_LABEL));
    }

    private Map<String, String> zones() {
        Map<String, String> zones = new HashMap<>();
        for (Node node : nodes.list()) {
            Map<String, String> labels = node.getMetadata().getLabels();
            if (labels != null && labels.get(ZONE_LABEL) != null) {
                zones.put(node.getMetadata().getName(), labels.get(ZONE_LABEL));
            }
        }
        return zones;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** Enqueues on every add, update and delete. */
    private record Enqueuer<T>(java.util.function.Consumer<T> enqueue) implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {
            enqueue.accept(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            enqueue.accept(oldObj);
            enqueue.accept(newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            enqueue.accept(obj);
        }
    }
}
