package dev.konductor.controllers.garbagecollector;

import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import dev.konductor.controllers.framework.Reconciler.Result;
import dev.konductor.controllers.garbagecollector.Ownership.Decision;
import dev.konductor.controllers.garbagecollector.Ownership.Delete;
import dev.konductor.controllers.garbagecollector.Ownership.Keep;
import dev.konductor.controllers.garbagecollector.Ownership.OwnerState;
import dev.konductor.controllers.garbagecollector.Ownership.RemoveOwnerReferences;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector's reconcile for one object of any type:
 * <ul>
 *   <li>an object being deleted with the {@code orphan} finalizer: strip its references from its
 *       dependents, then remove the finalizer;</li>
 *   <li>one being deleted with {@code foregroundDeletion}: have its dependents deleted, and
 *       remove the finalizer once none that blocks owner deletion remains;</li>
 *   <li>a dependent: look up each owner (cache first, then the API, so a slow informer never
 *       condemns anything) and act on {@link Ownership#decide}, after re-reading the dependent
 *       live so a stale cache never deletes what has meanwhile been re-owned or orphaned.</li>
 * </ul>
 */
final class Collector {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);
    private static final int ABSENT_OWNERS_REMEMBERED = 4096;
    static final Duration WAIT_FOR_SYNC = Duration.ofSeconds(1);

    private final ObjectGraph graph;
    private final GcApi api;
    private final Consumer<ObjectRef> enqueue;
    private final BiConsumer<GenericKubernetesResource, String> invalidReference;
    /** Owner uids verified absent through the API; a uid never comes back. */
    private final Set<String> absentOwners = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > ABSENT_OWNERS_REMEMBERED;
                }
            }));

    /**
     * @param enqueue          queues another object for a look (a foreground owner's dependents)
     * @param invalidReference reports a dependent whose owner reference can never resolve (a
     *                         cluster-scoped dependent naming a namespaced owner), with a message
     */
    Collector(ObjectGraph graph, GcApi api, Consumer<ObjectRef> enqueue,
              BiConsumer<GenericKubernetesResource, String> invalidReference) {
        this.graph = graph;
        this.api = api;
        this.enqueue = enqueue;
        this.invalidReference = invalidReference;
    }

    Result reconcile(ObjectRef ref) {
        Optional<ApiResource> resource = graph.resource(ref.group(), ref.plural());
        Optional<GenericKubernetesResource> cached = graph.get(ref);
        if (resource.isEmpty() || cached.isEmpty()) {
            return Result.done();
        }
        GenericKubernetesResource obj = cached.get();
        ObjectMeta meta = obj.getMetadata();
        if (meta.getDeletionTimestamp() != null) {
            if (!graph.synced() && (hasFinalizer(obj, Ownership.ORPHAN) || hasFinalizer(obj, Ownership.FOREGROUND))) {
                return Result.after(WAIT_FOR_SYNC);
            }
            if (hasFinalizer(obj, Ownership.ORPHAN)) {
                orphanDependents(resource.get(), obj);
            }
            if (hasFinalizer(obj, Ownership.FOREGROUND)) {
                deleteDependentsFirst(resource.get(), obj);
            }
            return Result.done();
        }
        if (meta.getOwnerReferences() == null || meta.getOwnerReferences().isEmpty()) {
            return Result.done();
        }
        Decision decision = decide(resource.get(), obj);
        if (decision instanceof Keep) {
            return Result.done();
        }
        // act only on what the server has now: the cache may be behind a re-owning or an orphaning
        Optional<GenericKubernetesResource> live = api.get(resource.get(), ref.namespace(), ref.name());
        if (live.isEmpty() || !meta.getUid().equals(live.get().getMetadata().getUid())
                || live.get().getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        act(resource.get(), live.get(), decide(resource.get(), live.get()));
        return Result.done();
    }

    private Decision decide(ApiResource resource, GenericKubernetesResource obj) {
        Map<String, OwnerState> states = new HashMap<>();
        for (OwnerReference owner : obj.getMetadata().getOwnerReferences()) {
            states.put(owner.getUid(), ownerState(resource, obj, owner));
        }
        boolean hasDependents = !graph.dependents(obj.getMetadata().getUid()).isEmpty();
        return Ownership.decide(obj.getMetadata().getOwnerReferences(), states, hasDependents,
                obj.getMetadata().getFinalizers());
    }

    private void act(ApiResource resource, GenericKubernetesResource obj, Decision decision) {
        ObjectMeta meta = obj.getMetadata();
        switch (decision) {
            case Keep keep -> {
            }
            case RemoveOwnerReferences remove -> {
                List<OwnerReference> remaining = meta.getOwnerReferences().stream()
                        .filter(r -> !remove.ownerUids().contains(r.getUid())).toList();
                log.debug("gc: removing references to {} from {}", remove.ownerUids(), describe(resource, obj));
                api.setOwnerReferences(resource, obj, remaining);
            }
            case Delete delete -> {
                log.debug("gc: deleting {} (propagation {})", describe(resource, obj), delete.propagationPolicy());
                api.delete(resource, meta.getNamespace(), meta.getName(), meta.getUid(), delete.propagationPolicy());
            }
        }
    }

    /**
     * What became of the owner {@code ref} names. Unknown kinds throw (retried until discovery
     * knows them, as upstream does).
     */
    private OwnerState ownerState(ApiResource dependentResource, GenericKubernetesResource dependent,
                                  OwnerReference ref) {
        ApiResource ownerResource = graph.resourceForKind(ref.getApiVersion(), ref.getKind()).orElseThrow(
                () -> new IllegalStateException("unknown owner kind " + ref.getApiVersion() + "/" + ref.getKind()));
        if (ownerResource.namespaced() && !dependentResource.namespaced()) {
            invalidReference.accept(dependent, "ownerRef [" + ref.getApiVersion() + "/" + ref.getKind() + ", name: "
                    + ref.getName() + ", uid: " + ref.getUid() + "] names a namespaced owner from a cluster-scoped "
                    + "object");
            return OwnerState.SOLID;
        }
        if (absentOwners.contains(ref.getUid())) {
            return OwnerState.DANGLING;
        }
        ObjectRef ownerRef = ObjectRef.of(ownerResource, dependent.getMetadata().getNamespace(), ref.getName());
        Optional<GenericKubernetesResource> owner = graph.get(ownerRef)
                .filter(o -> ref.getUid().equals(o.getMetadata().getUid()));
        if (owner.isEmpty()) {
            owner = api.get(ownerResource, ownerRef.namespace(), ref.getName());
        }
        if (owner.isEmpty() || !ref.getUid().equals(owner.get().getMetadata().getUid())) {
            absentOwners.add(ref.getUid());
            return OwnerState.DANGLING;
        }
        if (owner.get().getMetadata().getDeletionTimestamp() != null && hasFinalizer(owner.get(), Ownership.FOREGROUND)) {
            return OwnerState.WAITING;
        }
        return OwnerState.SOLID;
    }

    /** Upstream's orphanDependents + removeFinalizer(orphan). */
    private void orphanDependents(ApiResource resource, GenericKubernetesResource owner) {
        String uid = owner.getMetadata().getUid();
        for (ObjectGraph.Node dependent : graph.dependents(uid)) {
            Optional<ApiResource> dependentResource = graph.resource(dependent.ref().group(), dependent.ref().plural());
            if (dependentResource.isEmpty()) {
                continue;
            }
            List<OwnerReference> remaining = dependent.object().getMetadata().getOwnerReferences().stream()
                    .filter(r -> !uid.equals(r.getUid())).toList();
            api.setOwnerReferences(dependentResource.get(), dependent.object(), remaining);
        }
        removeFinalizer(resource, owner, Ownership.ORPHAN);
    }

    /** Upstream's processDeletingDependentsItem: dependents first, then the owner. */
    private void deleteDependentsFirst(ApiResource resource, GenericKubernetesResource owner) {
        String uid = owner.getMetadata().getUid();
        boolean blocked = false;
        for (ObjectGraph.Node dependent : graph.dependents(uid)) {
            if (dependent.object().getMetadata().getDeletionTimestamp() == null) {
                enqueue.accept(dependent.ref());
            }
            blocked |= dependent.object().getMetadata().getOwnerReferences().stream()
                    .anyMatch(r -> uid.equals(r.getUid()) && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
        }
        if (!blocked) {
            removeFinalizer(resource, owner, Ownership.FOREGROUND);
        }
    }

    private void removeFinalizer(ApiResource resource, GenericKubernetesResource cached, String finalizer) {
        ObjectMeta meta = cached.getMetadata();
        Optional<GenericKubernetesResource> live = api.get(resource, meta.getNamespace(), meta.getName());
        if (live.isPresent() && meta.getUid().equals(live.get().getMetadata().getUid())
                && hasFinalizer(live.get(), finalizer)) {
            log.debug("gc: removing finalizer {} from {}", finalizer, describe(resource, cached));
            api.removeFinalizer(resource, live.get(), finalizer);
        }
    }

    static boolean hasFinalizer(GenericKubernetesResource obj, String finalizer) {
        List<String> finalizers = obj.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(finalizer);
    }

    private static String describe(ApiResource resource, GenericKubernetesResource obj) {
        ObjectMeta meta = obj.getMetadata();
        return resource.groupResource() + " " + (meta.getNamespace() == null ? "" : meta.getNamespace() + "/")
                + meta.getName();
    }
}
