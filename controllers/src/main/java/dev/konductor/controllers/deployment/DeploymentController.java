package dev.konductor.controllers.deployment;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.framework.Reconciler;
import dev.konductor.controllers.framework.Selectors;
import dev.konductor.controllers.replicaset.OwnershipClaims;
import dev.konductor.controllers.replicaset.PodStates;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Deployment controller: owns ReplicaSets (adopting orphans that match the selector),
 * keeps one "new" ReplicaSet whose template is the Deployment's ({@code <name>-<hash>}, pods
 * labelled {@code pod-template-hash}) and rolls pods over to it with the RollingUpdate or
 * Recreate strategy. A template equal to an old ReplicaSet's (a rollback, e.g. {@code kubectl
 * rollout undo}) reuses that ReplicaSet with the next revision. Scaling during a rollout is
 * spread proportionally; a paused Deployment only scales. Status carries the counts
 * {@code kubectl rollout status} reads and the Progressing and Available conditions.
 */
public final class DeploymentController implements Controller, Reconciler {

    public static final String NAME = "deployment-controller";

    private KubernetesClient client;
    private Clock clock;
    private Lister<Deployment> deployments;
    private Lister<ReplicaSet> replicaSets;
    private Lister<Pod> pods;
    private CoreEvents events;
    private OwnershipClaims claims;
    private DeploymentSync sync;
    private ControllerLoop loop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        this.client = context.client();
        this.clock = context.clock();
        this.deployments = context.informers().lister(Deployment.class);
        this.replicaSets = context.informers().lister(ReplicaSet.class);
        this.pods = context.informers().lister(Pod.class);
        this.events = context.events(NAME);
        this.claims = new OwnershipClaims(client);
        this.sync = new DeploymentSync(client, events, clock);
        this.loop = new ControllerLoop(NAME, this, context.settings().workers());
        context.informers().of(Deployment.class).addEventHandler(new DeploymentHandler());
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

    // ---- event handlers: they only queue keys ----

    private final class DeploymentHandler implements ResourceEventHandler<Deployment> {
        @Override
        public void onAdd(Deployment d) {
            loop.enqueue(Keys.of(d));
        }

        @Override
        public void onUpdate(Deployment old, Deployment d) {
            loop.enqueue(Keys.of(d));
        }

        @Override
        public void onDelete(Deployment d, boolean finalStateUnknown) {
            loop.enqueue(Keys.of(d));
        }
    }

    private final class ReplicaSetHandler implements ResourceEventHandler<ReplicaSet> {
        @Override
        public void onAdd(ReplicaSet rs) {
            Optional<String> owner = owningDeployment(rs);
            if (owner.isPresent()) {
                loop.enqueue(owner.get());
            } else if (OwnerRefs.controllerOf(rs).isEmpty()) {
                matchingDeployments(rs).forEach(loop::enqueue);
            }
        }

        @Override
        public void onUpdate(ReplicaSet old, ReplicaSet rs) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), rs.getMetadata().getResourceVersion())) {
                return;
            }
            Optional<OwnerReference> oldRef = OwnerRefs.controllerOf(old);
            Optional<OwnerReference> newRef = OwnerRefs.controllerOf(rs);
            boolean refChanged = !Objects.equals(oldRef.map(OwnerReference::getUid), newRef.map(OwnerReference::getUid));
            if (refChanged) {
                owningDeployment(old).ifPresent(loop::enqueue);
            }
            if (newRef.isPresent()) {
                owningDeployment(rs).ifPresent(loop::enqueue);
            } else if (refChanged || !Objects.equals(old.getMetadata().getLabels(), rs.getMetadata().getLabels())) {
                matchingDeployments(rs).forEach(loop::enqueue);
            }
        }

        @Override
        public void onDelete(ReplicaSet rs, boolean finalStateUnknown) {
            owningDeployment(rs).ifPresent(loop::enqueue);
        }
    }

    /** Recreate waits for old pods to be gone, so their deletion must wake the Deployment. */
    private final class PodHandler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            if (!PodStates.isActive(pod) && PodStates.isActive(old)) {
                wakeRecreate(pod);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            wakeRecreate(pod);
        }

        private void wakeRecreate(Pod pod) {
            OwnerRefs.controllerOf(pod).filter(r -> "ReplicaSet".equals(r.getKind()))
                    .flatMap(r -> replicaSets.get(pod.getMetadata().getNamespace(), r.getName()))
                    .flatMap(DeploymentController.this::owningDeployment)
                    .flatMap(deployments::get)
                    .filter(d -> !Fenceposts.isRollingUpdate(d))
                    .ifPresent(d -> loop.enqueue(Keys.of(d)));
        }
    }

    private Optional<String> owningDeployment(ReplicaSet rs) {
        return OwnerRefs.controllerOf(rs).filter(r -> "Deployment".equals(r.getKind()))
                .flatMap(r -> deployments.get(rs.getMetadata().getNamespace(), r.getName())
                        .filter(d -> r.getUid().equals(d.getMetadata().getUid())))
                .map(Keys::of);
    }

    private List<String> matchingDeployments(ReplicaSet rs) {
        Map<String, String> labels = rs.getMetadata().getLabels();
        if (labels == null || labels.isEmpty()) {
            return List.of();
        }
        return deployments.list(rs.getMetadata().getNamespace()).stream()
                .filter(d -> Selectors.matches(d.getSpec().getSelector(), labels)).map(Keys::of).toList();
    }

    // ---- reconcile ----

    @Override
    public Result reconcile(String key) {
        Optional<Deployment> cached = deployments.get(key);
        if (cached.isEmpty()) {
            return Result.done();
        }
        Deployment d = new DeploymentBuilder(cached.get()).build();
        if (d.getStatus() == null) {
            d.setStatus(new DeploymentStatus());
        }
        if (selectsEverything(d.getSpec().getSelector())) {
            events.warning(d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if (Progress.orZero(d.getStatus().getObservedGeneration()) < Deployments.generation(d)) {
                d.getStatus().setObservedGeneration(Deployments.generation(d));
                sync.updateStatus(d);
            }
            return Result.done();
        }
        List<ReplicaSet> rsList = claimReplicaSets(d);
        if (d.getMetadata().getDeletionTimestamp() != null) {
            DeploymentSync.Sets sets = sync.replicaSetsAndSyncRevision(d, rsList, false);
            sync.syncStatus(d, sets.all(), sets.newRs());
            return Result.done();
        }
        if (Progress.syncPausedCondition(d, clock.instant())) {
            sync.updateStatus(d);
        }
        if (Deployments.paused(d) || isScalingEvent(d, rsList)) {
            sync.scaleOnly(d, rsList);
            return Result.done();
        }
        Optional<Duration> recheck = Fenceposts.isRollingUpdate(d)
                ? new RollingUpdate(sync).rollout(d, rsList)
                : new Recreate(sync).rollout(d, rsList, newRs -> oldPodsRunning(d, rsList, newRs));
        return recheck.map(Result::after).orElse(Result.done());
    }

    private List<ReplicaSet> claimReplicaSets(Deployment d) {
        List<ReplicaSet> candidates = replicaSets.list(d.getMetadata().getNamespace());
        return claims.claim(d, DeploymentSync.controllerRef(d), d.getSpec().getSelector(), candidates, () -> {
            Deployment fresh = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
                    .withName(d.getMetadata().getName()).get();
            if (fresh == null || !fresh.getMetadata().getUid().equals(d.getMetadata().getUid())) {
                throw new IllegalStateException("original Deployment " + Keys.of(d) + " is gone");
            }
            if (fresh.getMetadata().getDeletionTimestamp() != null) {
                throw new IllegalStateException(Keys.of(d) + " has just been deleted at "
                        + fresh.getMetadata().getDeletionTimestamp());
            }
        });
    }

    /** The Deployment's size changed since its active ReplicaSets last recorded it. */
    private boolean isScalingEvent(Deployment d, List<ReplicaSet> rsList) {
        DeploymentSync.Sets sets = sync.replicaSetsAndSyncRevision(d, rsList, false);
        for (ReplicaSet rs : ReplicaSetLists.active(sets.all())) {
            OptionalInt desired = RevisionAnnotations.desiredReplicas(rs);
            if (desired.isPresent() && desired.getAsInt() != Deployments.replicas(d)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a pod of one of the Deployment's ReplicaSets other than {@code newRs} is not finished. */
    private boolean oldPodsRunning(Deployment d, List<ReplicaSet> rsList, ReplicaSet newRs) {
        Set<String> oldUids = rsList.stream().map(rs -> rs.getMetadata().getUid())
                .filter(uid -> newRs == null || !uid.equals(newRs.getMetadata().getUid()))
                .collect(Collectors.toSet());
        return pods.list(d.getMetadata().getNamespace(), d.getSpec().getSelector()).stream()
                .filter(p -> OwnerRefs.controllerOf(p).map(r -> oldUids.contains(r.getUid())).orElse(false))
                .anyMatch(p -> !"Succeeded".equals(PodStates.phase(p)) && !"Failed".equals(PodStates.phase(p)));
    }

    private static boolean selectsEverything(LabelSelector selector) {
        return selector != null && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }
}
