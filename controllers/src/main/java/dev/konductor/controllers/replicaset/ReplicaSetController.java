package dev.konductor.controllers.replicaset;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Expectations;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.framework.Reconciler;
import dev.konductor.controllers.framework.Selectors;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The ReplicaSet controller: keeps {@code spec.replicas} active pods from the template for each
 * ReplicaSet. Pods it creates carry a controller ownerReference and the name prefix
 * {@code <rs>-}; orphans matching the selector are adopted and owned pods that stop matching
 * are released. Creations and deletions are guarded by expectations, so a cache that has not
 * caught up never causes duplicates, and creations go in slow-start batches. Scale-down deletes
 * pods in upstream's order ({@link PodDeletionOrder}). Status counts replicas, fully labeled,
 * ready and available pods, and carries a ReplicaFailure condition while creates or deletes fail.
 */
public final class ReplicaSetController implements Controller, Reconciler {

    public static final String NAME = "replicaset-controller";
    /** Upstream's cap on creations or deletions per sync. */
    static final int BURST_REPLICAS = 500;

    private KubernetesClient client;
    private Clock clock;
    private Lister<ReplicaSet> replicaSets;
    private Lister<Pod> pods;
    private CoreEvents events;
    private Expectations expectations;
    private PendingDeletions pendingDeletions;
    private OwnershipClaims claims;
    private ControllerLoop loop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        this.client = context.client();
        this.clock = context.clock();
        this.replicaSets = context.informers().lister(ReplicaSet.class);
        this.pods = context.informers().lister(Pod.class);
        this.events = context.events(NAME);
        this.expectations = new Expectations(clock);
        this.pendingDeletions = new PendingDeletions(expectations);
        this.claims = new OwnershipClaims(client);
        this.loop = new ControllerLoop(NAME, this, context.settings().workers());
        context.informers().of(ReplicaSet.class).addEventHandler(new ReplicaSetHandler());
        context.informers().of(Pod.class).addEventHandler(new PodHandler());
        loop.start(context.informers()::synced);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }

    // ---- event handlers: they only update expectations and queue keys ----

    private final class ReplicaSetHandler implements ResourceEventHandler<ReplicaSet> {
        @Override
        public void onAdd(ReplicaSet rs) {
            loop.enqueue(Keys.of(rs));
        }

        @Override
        public void onUpdate(ReplicaSet old, ReplicaSet rs) {
            loop.enqueue(Keys.of(rs));
        }

        @Override
        public void onDelete(ReplicaSet rs, boolean finalStateUnknown) {
            String key = Keys.of(rs);
            expectations.delete(key);
            pendingDeletions.forget(key);
            loop.enqueue(key);
        }
    }

    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                podGoing(pod);
                return;
            }
            Optional<String> owner = owningReplicaSet(pod);
            if (owner.isPresent()) {
                expectations.creationObserved(owner.get());
                loop.enqueue(owner.get());
            } else if (OwnerRefs.controllerOf(pod).isEmpty()) {
                matchingReplicaSets(pod).forEach(loop::enqueue);
            }
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
                return;
            }
            boolean labelsChanged = !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels());
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                podGoing(pod);
                if (labelsChanged) {
                    podGoing(old);
                }
                return;
            }
            Optional<OwnerReference> oldRef = OwnerRefs.controllerOf(old);
            Optional<OwnerReference> newRef = OwnerRefs.controllerOf(pod);
            boolean refChanged = !Objects.equals(oldRef.map(OwnerReference::getUid), newRef.map(OwnerReference::getUid));
            if (refChanged) {
                owningReplicaSet(old).ifPresent(loop::enqueue);
            }
            if (newRef.isPresent()) {
                owningReplicaSet(pod).ifPresent(loop::enqueue);
            } else if (labelsChanged || refChanged) {
                matchingReplicaSets(pod).forEach(loop::enqueue);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            podGoing(pod);
        }

        private void podGoing(Pod pod) {
            owningReplicaSet(pod).ifPresent(rsKey -> {
                pendingDeletions.observed(rsKey, Keys.of(pod));
                loop.enqueue(rsKey);
            });
        }
    }

    /** The key of the ReplicaSet controlling {@code pod}, if that ReplicaSet exists (same uid). */
    private Optional<String> owningReplicaSet(Pod pod) {
        return OwnerRefs.controllerOf(pod).filter(r -> "ReplicaSet".equals(r.getKind()))
                .flatMap(r -> replicaSets.get(pod.getMetadata().getNamespace(), r.getName())
                        .filter(rs -> r.getUid().equals(rs.getMetadata().getUid())))
                .map(Keys::of);
    }

    private List<String> matchingReplicaSets(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels == null || labels.isEmpty()) {
            return List.of();
        }
        return replicaSets.list(pod.getMetadata().getNamespace()).stream()
                .filter(rs -> Selectors.matches(rs.getSpec().getSelector(), labels)).map(Keys::of).toList();
    }

    // ---- reconcile ----

    @Override
    public Result reconcile(String key) throws Exception {
        Optional<ReplicaSet> cached = replicaSets.get(key);
        if (cached.isEmpty()) {
            expectations.delete(key);
            pendingDeletions.forget(key);
            return Result.done();
        }
        ReplicaSet rs = cached.get();
        boolean needsSync = expectations.satisfied(key) && rs.getMetadata().getDeletionTimestamp() == null;
        String namespace = rs.getMetadata().getNamespace();
        List<Pod> active = pods.list(namespace).stream().filter(PodStates::isActive).toList();
        List<Pod> owned = claims.claim(rs, controllerRef(rs), rs.getSpec().getSelector(), active,
                () -> checkStillOwner(rs));

        String failure = null;
        int diff = owned.size() - replicas(rs);
        Exception manageError = null;
        if (needsSync) {
            try {
                manageReplicas(key, rs, owned);
            } catch (KubernetesClientException e) {
                manageError = e;
                failure = message(e);
            }
        }
        Instant now = clock.instant();
        ReplicaSetStatus status = ReplicaSetStatuses.calculate(rs, owned, failure, diff < 0, now);
        writeStatus(rs, status);
        if (manageError != null) {
            throw manageError;
        }
        return requeueForAvailability(rs, owned, status, now);
    }

    private void manageReplicas(String key, ReplicaSet rs, List<Pod> owned) throws InterruptedException {
        int diff = owned.size() - replicas(rs);
        if (diff < 0) {
            int toCreate = Math.min(-diff, BURST_REPLICAS);
            expectations.expectCreations(key, toCreate);
            SlowStart.Outcome outcome = SlowStart.run(toCreate, 1, () -> createPod(rs));
            for (int skipped = toCreate - outcome.successes(); skipped > 0; skipped--) {
                // never to be observed: lower the expectation so the next sync can try again
                expectations.creationObserved(key);
            }
            if (outcome.firstError() instanceof KubernetesClientException e) {
                throw e;
            } else if (outcome.firstError() != null) {
                throw new IllegalStateException(outcome.firstError());
            }
        } else if (diff > 0) {
            int toDelete = Math.min(diff, BURST_REPLICAS);
            List<Pod> victims = new PodDeletionOrder(podsOnNodes(rs), clock.instant()).firstToDelete(owned, toDelete);
            pendingDeletions.expect(key, victims.stream().map(Keys::of).toList());
            deletePods(key, rs, victims);
        }
    }

    private Pod createPod(ReplicaSet rs) {
        Pod pod = podFromTemplate(rs, controllerRef(rs));
        try {
            Pod created = client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(pod).create();
            events.normal(rs, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return created;
        } catch (KubernetesClientException e) {
            if (namespaceTerminating(e)) {
                // every later create fails the same way and the ReplicaSet goes with its namespace
                return null;
            }
            events.warning(rs, "FailedCreate", "Error creating: " + message(e));
            throw e;
        }
    }

    private static boolean namespaceTerminating(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getDetails() != null && e.getStatus().getDetails().getCauses() != null
                && e.getStatus().getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
    }

    private void deletePods(String key, ReplicaSet rs, List<Pod> victims) throws InterruptedException {
        AtomicReference<KubernetesClientException> firstError = new AtomicReference<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = victims.stream().<Future<?>>map(pod -> executor.submit(() -> {
                String name = pod.getMetadata().getName();
                try {
                    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).delete();
                    events.normal(rs, "SuccessfulDelete", "Deleted pod: " + name);
                } catch (KubernetesClientException e) {
                    pendingDeletions.observed(key, Keys.of(pod));
                    if (e.getCode() != 404) {
                        events.warning(rs, "FailedDelete", "Error deleting: " + message(e));
                        firstError.compareAndSet(null, e);
                    }
                }
            })).toList();
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        if (firstError.get() != null) {
            throw firstError.get();
        }
    }

    /**
     * Active pods per node of this ReplicaSet and its siblings (the ReplicaSets of the same
     * controller, e.g. one Deployment): scale-down prefers pods on crowded nodes.
     */
    private Map<String, Integer> podsOnNodes(ReplicaSet rs) {
        Map<String, Integer> counts = new HashMap<>();
        Optional<OwnerReference> owner = OwnerRefs.controllerOf(rs);
        if (owner.isEmpty()) {
            return counts;
        }
        Map<String, Pod> related = new LinkedHashMap<>();
        for (ReplicaSet sibling : replicaSets.list(rs.getMetadata().getNamespace())) {
            if (OwnerRefs.isControlledBy(sibling, owner.get().getUid())) {
                for (Pod pod : pods.list(rs.getMetadata().getNamespace(), sibling.getSpec().getSelector())) {
                    related.putIfAbsent(pod.getMetadata().getUid(), pod);
                }
            }
        }
        for (Pod pod : related.values()) {
            if (PodStates.isActive(pod)) {
                String node = pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
                counts.merge(node, 1, Integer::sum);
            }
        }
        return counts;
    }

    private void writeStatus(ReplicaSet rs, ReplicaSetStatus status) {
        boolean generationObserved = rs.getStatus() != null
                && Objects.equals(rs.getStatus().getObservedGeneration(), rs.getMetadata().getGeneration());
        if (generationObserved && ReplicaSetStatuses.same(rs.getStatus(), status)) {
            return;
        }
        ReplicaSet updated = new ReplicaSetBuilder(rs).withStatus(status).build();
        try {
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(updated).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // one retry on a fresh copy, as upstream does; a second conflict retries the key
            ReplicaSet fresh = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).get();
            if (fresh == null || !fresh.getMetadata().getUid().equals(rs.getMetadata().getUid())) {
                return;
            }
            fresh.setStatus(status);
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(fresh).updateStatus();
        }
    }

    /** With minReadySeconds, look again when the next ready pod has been ready long enough. */
    private Result requeueForAvailability(ReplicaSet rs, List<Pod> owned, ReplicaSetStatus status, Instant now) {
        int minReadySeconds = ReplicaSetStatuses.orZero(rs.getSpec().getMinReadySeconds());
        if (minReadySeconds == 0
                || ReplicaSetStatuses.orZero(status.getAvailableReplicas()) == ReplicaSetStatuses.orZero(status.getReadyReplicas())) {
            return Result.done();
        }
        return owned.stream().map(p -> PodStates.untilAvailable(p, minReadySeconds, now)).flatMap(Optional::stream)
                .min(Duration::compareTo)
                .map(d -> Result.after(d.plusSeconds(1)))
                .orElse(Result.after(Duration.ofSeconds(minReadySeconds)));
    }

    private void checkStillOwner(ReplicaSet rs) {
        ReplicaSet fresh = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                .withName(rs.getMetadata().getName()).get();
        if (fresh == null || !fresh.getMetadata().getUid().equals(rs.getMetadata().getUid())) {
            throw new IllegalStateException("original ReplicaSet " + Keys.of(rs) + " is gone");
        }
        if (fresh.getMetadata().getDeletionTimestamp() != null) {
            throw new IllegalStateException(Keys.of(rs) + " has just been deleted at "
                    + fresh.getMetadata().getDeletionTimestamp());
        }
    }

    // ---- pure helpers ----

    static OwnerReference controllerRef(ReplicaSet rs) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName(rs.getMetadata().getName()).withUid(rs.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** A pod from the ReplicaSet's template, as upstream's GetPodFromTemplate builds it. */
    static Pod podFromTemplate(ReplicaSet rs, OwnerReference ref) {
        PodTemplateSpec template = rs.getSpec().getTemplate();
        ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        ObjectMeta meta = new ObjectMetaBuilder()
                .withGenerateName(rs.getMetadata().getName() + "-")
                .withNamespace(rs.getMetadata().getNamespace())
                .withLabels(copy(templateMeta.getLabels()))
                .withAnnotations(copy(templateMeta.getAnnotations()))
                .withFinalizers(templateMeta.getFinalizers() == null ? null : List.copyOf(templateMeta.getFinalizers()))
                .withOwnerReferences(ref)
                .build();
        return new PodBuilder().withMetadata(meta).withSpec(new PodSpecBuilder(template.getSpec()).build()).build();
    }

    private static Map<String, String> copy(Map<String, String> map) {
        return map == null || map.isEmpty() ? null : new LinkedHashMap<>(map);
    }

    static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    /** The API's own message (what upstream's err.Error() says), not the client's wrapper text. */
    static String message(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isEmpty()) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
