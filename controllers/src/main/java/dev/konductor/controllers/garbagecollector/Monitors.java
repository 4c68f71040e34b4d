package dev.konductor.controllers.garbagecollector;

import dev.konductor.controllers.framework.ApiDiscovery;
import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import dev.konductor.controllers.framework.Keys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One informer ("monitor") per resource type the collector can act on, found through discovery
 * and kept in step with it: types that appear (a new CRD) get a monitor, types that go away lose
 * theirs. Each cache is indexed by owner uid. Event callbacks go to a {@link Listener}.
 *
 * <p>As upstream's collector, the monitors hold metadata only: their client asks for
 * PartialObjectMetadata, so a pod's spec and status are neither sent nor decoded for them.
 */
final class Monitors implements ObjectGraph, AutoCloseable {

    static final String OWNER_INDEX = "gc-owner-uid";
    /** Upstream's default ignored resources: events are never owners or dependents worth a watch. */
    static final Set<String> IGNORED = Set.of("events.", "events.events.k8s.io");

    private static final Logger log = LoggerFactory.getLogger(Monitors.class);
    /** What client-go's metadata client accepts for lists and watches. */
    private static final String METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
            + "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

    /** Where monitors deliver their events; the resource says which monitor saw it. */
    interface Listener {
        void added(ApiResource resource, GenericKubernetesResource obj);

        void updated(ApiResource resource, GenericKubernetesResource old, GenericKubernetesResource obj);

        void deleted(ApiResource resource, GenericKubernetesResource obj);
    }

    private record Monitor(ApiResource resource, SharedIndexInformer<GenericKubernetesResource> informer) {
    }

    private final KubernetesClient client;
    private final Listener listener;
    private final Map<String, Monitor> monitors = new ConcurrentHashMap<>();
    private volatile Map<String, ApiResource> byGroupKind = Map.of();
    private volatile Map<String, ApiResource> byGroupResource = Map.of();
    private boolean closed;

    Monitors(KubernetesClient client, Listener listener) {
        this.client = metadataOnly(client);
        this.listener = listener;
    }

    /** A client like {@code client} whose lists and watches return PartialObjectMetadata. */
    private static KubernetesClient metadataOnly(KubernetesClient client) {
        Config config = new ConfigBuilder(client.getConfiguration()).build();
        config.setCustomHeaders(Map.of("Accept", METADATA_ONLY));
        return new KubernetesClientBuilder().withConfig(config)
                .withKubernetesSerialization(client.getKubernetesSerialization()).build();
    }

    /** Resources the collector watches: list, watch and delete served, and not ignored. */
    static boolean collectable(ApiResource r) {
        return r.supports("list", "watch", "delete") && !IGNORED.contains(r.groupResource());
    }

    /**
     * Brings the monitors in line with {@code discovered}. Monitors of groups that failed
     * discovery are kept (their types probably still exist).
     */
    synchronized void sync(ApiDiscovery.Result discovered) {
        if (closed) {
            return;
        }
        Set<String> failedGroups = new HashSet<>();
        for (String groupVersion : discovered.failedGroups().keySet()) {
            int slash = groupVersion.indexOf('/');
            failedGroups.add(slash < 0 ? "" : groupVersion.substring(0, slash));
        }
        Map<String, ApiResource> kinds = new HashMap<>();
        Map<String, ApiResource> resources = new HashMap<>();
        byGroupResource.values().stream().filter(r -> failedGroups.contains(r.group())).forEach(r -> {
            kinds.put(r.group() + "/" + r.kind(), r);
            resources.put(r.groupResource(), r);
        });
        for (ApiResource r : discovered.resources()) {
            kinds.put(r.group() + "/" + r.kind(), r);
            resources.put(r.groupResource(), r);
        }
        byGroupKind = Map.copyOf(kinds);
        byGroupResource = Map.copyOf(resources);

        for (ApiResource r : discovered.resources()) {
            if (!collectable(r)) {
                continue;
            }
            Monitor existing = monitors.get(r.groupResource());
            if (existing != null && existing.resource().equals(r)) {
                continue;
            }
            if (existing != null) {
                existing.informer().close();
            }
            monitors.put(r.groupResource(), start(r));
        }
        for (Monitor m : List.copyOf(monitors.values())) {
            ApiResource current = byGroupResource.get(m.resource().groupResource());
            if (current == null || !collectable(current)) {
                log.info("gc: resource {} is no longer served; stopping its monitor", m.resource().groupResource());
                m.informer().close();
                monitors.remove(m.resource().groupResource());
            }
        }
    }

    private Monitor start(ApiResource r) {
        SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(r.context())
                .inAnyNamespace().runnableInformer(0).exceptionHandler((started, error) -> true);
        informer.addIndexers(Map.of(OWNER_INDEX, Monitors::ownerUids));
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                listener.added(r, obj);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource obj) {
                listener.updated(r, old, obj);
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
                listener.deleted(r, obj);
            }
        });
        informer.start();
        log.debug("gc: monitoring {}", r.groupResource());
        return new Monitor(r, informer);
    }

    private static List<String> ownerUids(GenericKubernetesResource obj) {
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return List.of();
        }
        return refs.stream().map(OwnerReference::getUid).filter(u -> u != null).distinct().toList();
    }

    /** The group resources ({@code plural.group}) being watched. */
    Set<String> monitored() {
        return Set.copyOf(monitors.keySet());
    }

    @Override
    public Optional<ApiResource> resourceForKind(String apiVersion, String kind) {
        if (apiVersion == null || kind == null) {
            return Optional.empty();
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return Optional.ofNullable(byGroupKind.get(group + "/" + kind));
    }

    @Override
    public Optional<ApiResource> resource(String group, String plural) {
        return Optional.ofNullable(byGroupResource.get(plural + "." + group));
    }

    @Override
    public Optional<GenericKubernetesResource> get(ObjectRef ref) {
        Monitor m = monitors.get(ref.groupResource());
        if (m == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(m.informer().getIndexer().getByKey(Keys.of(ref.namespace(), ref.name())));
    }

    @Override
    public List<Node> dependents(String ownerUid) {
        List<Node> out = new ArrayList<>();
        for (Monitor m : monitors.values()) {
            for (GenericKubernetesResource obj : m.informer().getIndexer().byIndex(OWNER_INDEX, ownerUid)) {
                out.add(new Node(ObjectRef.of(m.resource(), obj.getMetadata().getNamespace(),
                        obj.getMetadata().getName()), obj));
            }
        }
        return out;
    }

    @Override
    public boolean synced() {
        return monitors.values().stream().allMatch(m -> m.informer().hasSynced());
    }

    @Override
    public synchronized void close() {
        closed = true;
        monitors.values().forEach(m -> m.informer().close());
        monitors.clear();
        client.close();
    }
}
