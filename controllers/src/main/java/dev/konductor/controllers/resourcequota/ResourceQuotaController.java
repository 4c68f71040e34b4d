package dev.konductor.controllers.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.api.quota.Amount;
import dev.konductor.api.quota.QuotaUsage;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Upstream's resource quota controller: keeps each ResourceQuota's {@code status.hard} equal to
 * its spec and {@code status.used} equal to what the namespace's objects consume.
 *
 * <p>Creates are charged by the API server's quota admission as they happen; this controller
 * recalculates when a quota appears or its limits change, when usage may have dropped (an object
 * deleted, a pod finished, a service or claim changed), and every five minutes. It counts from
 * fresh lists rather than informer caches and writes with the quota's resourceVersion, so a
 * recalculation never overwrites a charge the API server made after it began; it is triggered
 * neither by pod creations nor by the admission's own status writes, which would race with
 * creates still in flight.
 */
public final class ResourceQuotaController implements Controller {

    public static final String NAME = "resourcequota-controller";
    /** Upstream's --resource-quota-sync-period. */
    static final Duration RESYNC = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ResourceRegistry registry = ResourceRegistry.builtIn();
    private KubernetesClient client;
    private Clock clock;
    private Lister<ResourceQuota> quotas;
    private ControllerLoop loop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        clock = context.clock();
        quotas = context.informers().lister(ResourceQuota.class);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());
        context.informers().of(ResourceQuota.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ResourceQuota quota) {
                loop.enqueue(Keys.of(quota));
            }

            @Override
            public void onUpdate(ResourceQuota oldQuota, ResourceQuota quota) {
                if (!sameAmounts(quota.getSpec() == null ? null : quota.getSpec().getHard(),
                        quota.getStatus() == null ? null : quota.getStatus().getHard())) {
                    loop.enqueue(Keys.of(quota));
                }
            }

            @Override
            public void onDelete(ResourceQuota quota, boolean deletedFinalStateUnknown) {
            }
        });
        watchReleases(context, Pod.class, (oldPod, pod) -> charged(oldPod) && !charged(pod));
        watchReleases(context, Service.class, (a, b) -> true);
        watchReleases(context, PersistentVolumeClaim.class, (a, b) -> true);
        watchReleases(context, ConfigMap.class, (a, b) -> false);
        watchReleases(context, Secret.class, (a, b) -> false);
        loop.start(context.informers()::synced);
    }

    /** Recalculates the namespace's quotas when an object goes, or changes in a way that may free quota. */
    private <T extends HasMetadata> void watchReleases(ControllerContext context, Class<T> type,
                                                       BiPredicate<T, T> updateMayRelease) {
        context.informers().of(type).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
            }

            @Override
            public void onUpdate(T oldObj, T obj) {
                // most namespaces have no quota: ask that first, the pod test reads the whole pod
                String namespace = obj.getMetadata().getNamespace();
                if (!quotas.list(namespace).isEmpty() && updateMayRelease.test(oldObj, obj)) {
                    enqueueNamespace(namespace);
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                enqueueNamespace(obj.getMetadata().getNamespace());
            }
        });
    }

    private boolean charged(Pod pod) {
        return QuotaUsage.podCharged(JSON.valueToTree(pod), clock.instant());
    }

    private void enqueueNamespace(String namespace) {
        quotas.list(namespace).forEach(q -> loop.enqueue(Keys.of(q)));
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** Recalculates {@code key} now (tests, and callers who know usage changed). */
    void resync(String key) {
        loop.enqueue(key);
    }

    Result reconcile(String key) {
        String namespace = Keys.namespace(key);
        // read the quota first: any charge made after this read makes the status write below conflict
        ResourceQuota quota = client.resourceQuotas().inNamespace(namespace).withName(Keys.name(key)).get();
        if (quota == null) {
            return Result.done();
        }
        Map<String, Quantity> hard = quota.getSpec() == null || quota.getSpec().getHard() == null
                ? Map.of() : quota.getSpec().getHard();
        JsonNode spec = JSON.valueToTree(quota.getSpec() == null ? Map.of() : quota.getSpec());
        Map<String, Amount> used = new TreeMap<>();
        Map<String, List<String>> byResource = new LinkedHashMap<>();
        for (String name : hard.keySet()) {
            QuotaUsage.consumer(name).ifPresent(gr -> {
                used.put(name, Amount.ZERO);
                byResource.computeIfAbsent(gr[0] + "/" + gr[1], k -> new ArrayList<>()).add(name);
            });
        }
        for (String groupResource : byResource.keySet()) {
            String group = groupResource.substring(0, groupResource.indexOf('/'));
            String resource = groupResource.substring(groupResource.indexOf('/') + 1);
            Optional<List<JsonNode>> objects = list(group, resource, namespace);
            if (objects.isEmpty()) {
                byResource.get(groupResource).forEach(used::remove); // a resource this server does not serve
                continue;
            }
            for (JsonNode obj : objects.get()) {
                if (!QuotaUsage.inScope(spec, group, resource, obj)) {
                    continue;
                }
                QuotaUsage.usage(group, resource, obj, clock.instant()).forEach((name, amount) -> {
                    if (used.containsKey(name)) {
                        used.merge(name, amount, Amount::plus);
                    }
                });
            }
        }
        Map<String, Quantity> usedStatus = new TreeMap<>();
        used.forEach((name, amount) -> usedStatus.put(name, new Quantity(amount.toString())));
        ResourceQuotaStatus status = new ResourceQuotaStatus(new TreeMap<>(hard), usedStatus);
        if (!sameAmounts(status.getHard(), quota.getStatus() == null ? null : quota.getStatus().getHard())
                || !sameAmounts(status.getUsed(), quota.getStatus() == null ? null : quota.getStatus().getUsed())) {
            client.resourceQuotas().inNamespace(namespace)
                    .resource(new ResourceQuotaBuilder(quota).withStatus(status).build()).updateStatus();
        }
        return Result.after(RESYNC);
    }

    private Optional<List<JsonNode>> list(String group, String resource, String namespace) {
        Optional<ResourceType> type = registry.all().stream()
                .filter(t -> t.group().equals(group) && t.plural().equals(resource) && t.namespaced())
                .min((a, b) -> Boolean.compare(!a.isStorageVersion(), !b.isStorageVersion()));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        List<JsonNode> out = new ArrayList<>();
        client.genericKubernetesResources(type.get().apiVersion(), type.get().kind()).inNamespace(namespace).list()
                .getItems().forEach(o -> out.add(JSON.valueToTree(o)));
        return Optional.of(out);
    }

    /** Equal as quantities ({@code 1Gi} equals {@code 1024Mi}), as upstream compares resource lists. */
    static boolean sameAmounts(Map<String, Quantity> a, Map<String, Quantity> b) {
        Map<String, Quantity> x = a == null ? Map.of() : a;
        Map<String, Quantity> y = b == null ? Map.of() : b;
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        Map<String, Boolean> same = new HashMap<>();
        x.forEach((k, v) -> same.put(k, Objects.equals(amount(v), amount(y.get(k)))));
        return !same.containsValue(false);
    }

    private static Amount amount(Quantity q) {
        try {
            return Amount.parse(q.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
