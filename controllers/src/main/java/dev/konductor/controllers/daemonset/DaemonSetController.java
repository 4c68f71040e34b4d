package dev.konductor.controllers.daemonset;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Expectations;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.framework.Reconciler;
import dev.konductor.controllers.history.ControllerHistory;
import dev.konductor.controllers.history.Revisions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DaemonSet controller: keeps one daemon pod on every node the DaemonSet's template fits
 * (see {@link NodeEligibility}), pinned there by node affinity for the scheduler to bind; rolls
 * template changes out node by node ({@link RollingUpdate}) or waits for pods to be deleted
 * (OnDelete); records the template history as ControllerRevisions; and reports the status that
 * {@code kubectl rollout status ds} and {@code kubectl get ds} read.
 */
public final class DaemonSetController implements Controller {

    public static final String NAME = "daemonset-controller";
    private static final Logger log = LoggerFactory.getLogger(DaemonSetController.class);
    private static final String KIND = "DaemonSet";

    private KubernetesClient client;
    private Clock clock;
    private Lister<DaemonSet> daemonSets;
    private Lister<Pod> pods;
    private Lister<Node> nodes;
    private ControllerHistory history;
    private Expectations expectations;
    private CoreEvents events;
    private ControllerLoop loop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        clock = context.clock();
        daemonSets = context.informers().lister(DaemonSet.class);
        pods = context.informers().lister(Pod.class);
        nodes = context.informers().lister(Node.class);
        history = new ControllerHistory(client, context.informers().lister(ControllerRevision.class));
        expectations = new Expectations(clock);
        events = context.events(NAME);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());

        context.informers().of(DaemonSet.class).addEventHandler(handler(ds -> loop.enqueue(Keys.of(ds)),
                (old, ds) -> loop.enqueue(Keys.of(ds)), ds -> {
                    expectations.delete(Keys.of(ds));
                    loop.enqueue(Keys.of(ds));
                }));
        context.informers().of(Pod.class).addEventHandler(handler(pod -> ownerKey(pod).ifPresent(key -> {
            expectations.creationObserved(key);
            loop.enqueue(key);
        }), (old, pod) -> {
            ownerKey(old).ifPresent(loop::enqueue);
            ownerKey(pod).ifPresent(loop::enqueue);
        }, pod -> ownerKey(pod).ifPresent(key -> {
            expectations.deletionObserved(key);
            loop.enqueue(key);
        })));
        context.informers().of(Node.class).addEventHandler(handler(node -> enqueueAll(),
                (old, node) -> {
                    if (schedulingChanged(old, node)) {
                        enqueueAll();
                    }
                }, node -> enqueueAll()));
        context.informers().of(ControllerRevision.class).addEventHandler(handler(
                rev -> ownerKey(rev).ifPresent(loop::enqueue), (old, rev) -> ownerKey(rev).ifPresent(loop::enqueue),
                rev -> ownerKey(rev).ifPresent(loop::enqueue)));
        loop.start(context.informers()::synced);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }

    private void enqueueAll() {
        daemonSets.list().forEach(ds -> loop.enqueue(Keys.of(ds)));
    }

    /** Only what decides eligibility: labels and taints (node heartbeats change neither). */
    private static boolean schedulingChanged(Node old, Node node) {
        return !Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels())
                || !Objects.equals(old.getSpec() == null ? null : old.getSpec().getTaints(),
                node.getSpec() == null ? null : node.getSpec().getTaints());
    }

    private static Optional<String> ownerKey(HasMetadata obj) {
        return OwnerRefs.controllerOf(obj).filter(ref -> KIND.equals(ref.getKind()))
                .map(ref -> Keys.of(obj.getMetadata().getNamespace(), ref.getName()));
    }

    Reconciler.Result reconcile(String key) {
        Optional<DaemonSet> found = daemonSets.get(key);
        if (found.isEmpty()) {
            expectations.delete(key);
            return Reconciler.Result.done();
        }
        DaemonSet ds = found.get();
        if (ds.getMetadata().getDeletionTimestamp() != null) {
            return Reconciler.Result.done();
        }
        LabelSelector selector = ds.getSpec().getSelector();
        if (selector == null || (isEmpty(selector.getMatchLabels()) && isEmpty(selector.getMatchExpressions()))) {
            events.warning(ds, "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is "
                    + "required.");
            return Reconciler.Result.done();
        }
        Instant now = clock.instant();
        List<Node> nodeList = nodes.list();
        List<ControllerRevision> owned = history.owned(ds);
        int collisionCount = ds.getStatus() == null || ds.getStatus().getCollisionCount() == null ? 0
                : ds.getStatus().getCollisionCount();
        CurrentRevision current = currentRevision(ds, owned, collisionCount);
        String hash = current.hash();

        List<Pod> dsPods = ownedPods(ds);
        Map<String, NodeEligibility.Verdict> verdicts = DaemonSetPlan.verdicts(ds, nodeList);
        Map<String, List<Pod>> nodeToPods = DaemonSetPlan.byNode(dsPods);

        if (expectations.satisfied(key)) {
            DaemonSetPlan.Manage manage = DaemonSetPlan.manage(ds, verdicts, nodeToPods, hash, now);
            for (Pod failed : manage.failedPods()) {
                events.warning(ds, "FailedDaemonPod", "Found failed daemon pod " + failed.getMetadata().getNamespace()
                        + "/" + failed.getMetadata().getName() + " on node " + failed.getSpec().getNodeName()
                        + ", will try to kill it");
            }
            if (!manage.isEmpty()) {
                syncNodes(key, ds, manage.podsToDelete(), manage.nodesNeedingPods(), hash);
            } else if (DaemonSetPlan.rollingUpdate(ds)) {
                RollingUpdate.Step step = RollingUpdate.plan(ds, verdicts, nodeToPods, hash, now);
                if (!step.isEmpty()) {
                    syncNodes(key, ds, step.podsToDelete(), step.nodesToCreate(), hash);
                }
            }
        }
        cleanupHistory(ds, owned, current.revision(), dsPods);
        updateStatus(ds, DaemonSetPlan.status(ds, verdicts, nodeToPods, hash, current.collisionCount(), now));
        return DaemonSetPlan.nextAvailability(ds, nodeToPods, now)
                .map(at -> Reconciler.Result.after(Duration.between(now, at).plusMillis(50)))
                .orElse(Reconciler.Result.done());
    }

    private static boolean isEmpty(java.util.Collection<?> c) {
        return c == null || c.isEmpty();
    }

    private static boolean isEmpty(Map<?, ?> m) {
        return m == null || m.isEmpty();
    }

    /** Pods this DaemonSet controls (orphans are left alone: adoption is not implemented). */
    private List<Pod> ownedPods(DaemonSet ds) {
        String uid = ds.getMetadata().getUid();
        return pods.list(ds.getMetadata().getNamespace()).stream().filter(p -> OwnerRefs.isControlledBy(p, uid))
                .toList();
    }

    private record CurrentRevision(ControllerRevision revision, String hash, int collisionCount) {
    }

    /**
     * The revision holding the current template (created if none does, renumbered to be the newest
     * if an older one does — a rollback), as upstream's constructHistory.
     */
    private CurrentRevision currentRevision(DaemonSet ds, List<ControllerRevision> owned, int collisionCount) {
        String wanted = Revisions.canonicalData(Revisions.templatePatch(ds.getSpec().getTemplate()));
        List<ControllerRevision> matching = new ArrayList<>();
        List<ControllerRevision> others = new ArrayList<>();
        for (ControllerRevision rev : owned) {
            (Revisions.canonicalData(rev.getData()).equals(wanted) ? matching : others).add(rev);
        }
        long next = Revisions.nextRevisionNumber(others);
        if (matching.isEmpty()) {
            ControllerHistory.Stored stored = history.create(ds, ds.getSpec().getTemplate(),
                    Revisions.POD_REVISION_LABEL, next, collisionCount);
            return new CurrentRevision(stored.revision(), hashOf(stored.revision()), stored.collisionCount());
        }
        ControllerRevision newest = matching.getLast();
        if (newest.getRevision() == null || newest.getRevision() < next) {
            newest = history.renumber(newest, next);
        }
        return new CurrentRevision(newest, hashOf(newest), collisionCount);
    }

    private static String hashOf(ControllerRevision rev) {
        Map<String, String> labels = rev.getMetadata().getLabels();
        String hash = labels == null ? null : labels.get(Revisions.POD_REVISION_LABEL);
        return hash != null ? hash : Revisions.hashOf(rev);
    }

    private void cleanupHistory(DaemonSet ds, List<ControllerRevision> owned, ControllerRevision current,
                                List<Pod> dsPods) {
        Set<String> liveHashes = DaemonSetPlan.liveHashes(dsPods);
        List<ControllerRevision> old = owned.stream()
                .filter(r -> !r.getMetadata().getName().equals(current.getMetadata().getName())).toList();
        Set<String> inUse = old.stream().filter(r -> liveHashes.contains(hashOf(r)))
                .map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
        Integer limit = ds.getSpec().getRevisionHistoryLimit();
        history.truncate(old, inUse, limit == null ? 10 : limit);
    }

    /**
     * Deletes and creates daemon pods, creations in slow-start batches (1, 2, 4, …) that stop at
     * the first failing batch, with expectations set first so that the next sync waits for the
     * informer to see every change.
     */
    private void syncNodes(String key, DaemonSet ds, List<Pod> delete, List<String> create, String hash) {
        expectations.expect(key, create.size(), delete.size());
        List<Exception> errors = new ArrayList<>();
        for (Pod pod : delete) {
            deletePod(key, ds, pod, errors);
        }
        int done = 0;
        int batch = 1;
        while (done < create.size()) {
            List<String> nodesInBatch = create.subList(done, Math.min(create.size(), done + batch));
            int failures = 0;
            for (String node : nodesInBatch) {
                if (!createPod(key, ds, node, hash, errors)) {
                    failures++;
                }
            }
            done += nodesInBatch.size();
            if (failures > 0) {
                for (int skipped = done; skipped < create.size(); skipped++) {
                    expectations.creationObserved(key);
                }
                break;
            }
            batch *= 2;
        }
        if (!errors.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("DaemonSet " + key + ": " + errors.size()
                    + " pod changes failed, first: " + errors.getFirst().getMessage());
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private boolean createPod(String key, DaemonSet ds, String node, String hash, List<Exception> errors) {
        Pod pod = DaemonPodTemplate.podFor(ds, node, hash);
        try {
            Pod created = client.pods().inNamespace(ds.getMetadata().getNamespace()).resource(pod).create();
            events.normal(ds, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return true;
        } catch (RuntimeException e) {
            expectations.creationObserved(key);
            events.warning(ds, "FailedCreate", "Error creating: " + e.getMessage());
            errors.add(e);
            log.debug("daemonset={} node={} create failed: {}", key, node, e.toString());
            return false;
        }
    }

    private void deletePod(String key, DaemonSet ds, Pod pod, List<Exception> errors) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .delete();
            events.normal(ds, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
        } catch (RuntimeException e) {
            expectations.deletionObserved(key);
            events.warning(ds, "FailedDelete", "Error deleting: " + e.getMessage());
            errors.add(e);
        }
    }

    private void updateStatus(DaemonSet ds, DaemonSetStatus status) {
        if (status.equals(ds.getStatus())) {
            return;
        }
        DaemonSet copy = new DaemonSetBuilder(ds).withStatus(status).build();
        client.apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).resource(copy).updateStatus();
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> add, java.util.function.BiConsumer<T, T> update,
                                                       Consumer<T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                add.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                update.accept(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                delete.accept(obj);
            }
        };
    }
}
