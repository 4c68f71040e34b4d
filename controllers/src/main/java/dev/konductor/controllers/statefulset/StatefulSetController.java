package dev.konductor.controllers.statefulset;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.framework.Reconciler;
import dev.konductor.controllers.framework.Selectors;
import dev.konductor.controllers.history.ControllerHistory;
import dev.konductor.controllers.history.Revisions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StatefulSet controller: gives each ordinal its pod {@code <set>-<ordinal>} and claims,
 * starts and stops them in order (or in parallel), rolls template changes out from the highest
 * ordinal down to the partition, keeps the template history as ControllerRevisions and reports
 * the status {@code kubectl rollout status sts} reads. The decisions are {@link StatefulSetPlan}'s;
 * this class reads the caches, performs the plan's actions and writes the status.
 */
public final class StatefulSetController implements Controller {

    public static final String NAME = "statefulset-controller";
    private static final Logger log = LoggerFactory.getLogger(StatefulSetController.class);
    private static final String KIND = "StatefulSet";

    private KubernetesClient client;
    private Clock clock;
    private Lister<StatefulSet> sets;
    private Lister<Pod> pods;
    private Lister<PersistentVolumeClaim> claims;
    private ControllerHistory history;
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
        sets = context.informers().lister(StatefulSet.class);
        pods = context.informers().lister(Pod.class);
        claims = context.informers().lister(PersistentVolumeClaim.class);
        history = new ControllerHistory(client, context.informers().lister(ControllerRevision.class));
        events = context.events(NAME);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());

        context.informers().of(StatefulSet.class).addEventHandler(handler(set -> loop.enqueue(Keys.of(set)),
                (old, set) -> loop.enqueue(Keys.of(set)), set -> loop.enqueue(Keys.of(set))));
        context.informers().of(Pod.class).addEventHandler(handler(this::enqueueFor, (old, pod) -> {
            enqueueFor(old);
            enqueueFor(pod);
        }, this::enqueueFor));
        context.informers().of(ControllerRevision.class).addEventHandler(handler(this::enqueueOwner,
                (old, rev) -> enqueueOwner(rev), this::enqueueOwner));
        loop.start(context.informers()::synced);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** The owning set of a pod; for an orphan, every set that could adopt it. */
    private void enqueueFor(Pod pod) {
        if (OwnerRefs.controllerOf(pod).isPresent()) {
            enqueueOwner(pod);
            return;
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        sets.list(pod.getMetadata().getNamespace()).stream()
                .filter(set -> Selectors.matches(set.getSpec().getSelector(), labels))
                .forEach(set -> loop.enqueue(Keys.of(set)));
    }

    private void enqueueOwner(HasMetadata obj) {
        OwnerRefs.controllerOf(obj).filter(ref -> KIND.equals(ref.getKind()))
                .ifPresent(ref -> loop.enqueue(Keys.of(obj.getMetadata().getNamespace(), ref.getName())));
    }

    Reconciler.Result reconcile(String key) {
        Optional<StatefulSet> found = sets.get(key);
        if (found.isEmpty() || found.get().getMetadata().getDeletionTimestamp() != null) {
            return Reconciler.Result.done();
        }
        StatefulSet set = found.get();
        List<Pod> setPods = claimPods(set);
        List<ControllerRevision> owned = history.owned(set);
        Revs revs = revisions(set, owned);
        Instant now = clock.instant();
        StatefulSetPlan.Inputs inputs = new StatefulSetPlan.Inputs(set, Revisions.template(revs.current()),
                revs.current().getMetadata().getName(), set.getSpec().getTemplate(),
                revs.update().getMetadata().getName(), setPods,
                name -> claims.get(set.getMetadata().getNamespace(), name), now);

        RuntimeException failure = null;
        try {
            for (StatefulSetPlan.Action action : StatefulSetPlan.plan(inputs)) {
                if (!perform(set, action)) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        updateStatus(set, StatefulSetPlan.status(inputs, revs.collisionCount()));
        truncateHistory(set, owned, setPods, revs);
        if (failure != null) {
            throw failure;
        }
        return StatefulSetPlan.nextAvailability(inputs)
                .map(at -> Reconciler.Result.after(Duration.between(now, at).plusMillis(50)))
                .orElse(Reconciler.Result.done());
    }

    /**
     * The set's pods: those it controls, plus orphans whose labels and name say they are its own,
     * which it adopts (a set recreated after {@code kubectl delete --cascade=orphan} takes its
     * pods back).
     */
    private List<Pod> claimPods(StatefulSet set) {
        String uid = set.getMetadata().getUid();
        List<Pod> result = new ArrayList<>();
        for (Pod pod : pods.list(set.getMetadata().getNamespace())) {
            if (OwnerRefs.isControlledBy(pod, uid)) {
                result.add(pod);
            } else if (OwnerRefs.controllerOf(pod).isEmpty() && !StatefulPods.terminating(pod)
                    && StatefulPods.isMemberOf(set, pod) && Selectors.matches(set.getSpec().getSelector(),
                    pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels())) {
                result.add(adopt(set, pod));
            }
        }
        return result;
    }

    private Pod adopt(StatefulSet set, Pod pod) {
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .edit(p -> new PodBuilder(p).editMetadata().addToOwnerReferences(OwnerRefs.controllerRef(set))
                        .endMetadata().build());
    }

    private record Revs(ControllerRevision current, ControllerRevision update, int collisionCount) {
    }

    /**
     * The update revision (the one holding the set's template: the newest revision if it does,
     * an older equal one renumbered to newest — a rollback — or a new one) and the current
     * revision named in the status (the update revision when there is none yet).
     */
    private Revs revisions(StatefulSet set, List<ControllerRevision> owned) {
        int collisionCount = set.getStatus() == null || set.getStatus().getCollisionCount() == null ? 0
                : set.getStatus().getCollisionCount();
        ControllerRevision wanted = Revisions.build(set, set.getSpec().getTemplate(), Revisions.HASH_LABEL, 0,
                collisionCount);
        long next = Revisions.nextRevisionNumber(owned);
        Optional<ControllerRevision> equal = Revisions.newestEqual(owned, wanted);
        ControllerRevision update;
        if (equal.isPresent() && equal.get().getMetadata().getName().equals(owned.getLast().getMetadata().getName())) {
            update = equal.get();
        } else if (equal.isPresent()) {
            update = history.renumber(equal.get(), next);
        } else {
            ControllerHistory.Stored stored = history.create(set, set.getSpec().getTemplate(), Revisions.HASH_LABEL,
                    next, collisionCount);
            update = stored.revision();
            collisionCount = stored.collisionCount();
        }
        String currentName = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
        ControllerRevision current = owned.stream().filter(r -> r.getMetadata().getName().equals(currentName))
                .findFirst().orElse(update);
        return new Revs(current, update, collisionCount);
    }

    private void truncateHistory(StatefulSet set, List<ControllerRevision> owned, List<Pod> setPods, Revs revs) {
        Set<String> live = new HashSet<>();
        setPods.forEach(p -> live.add(StatefulPods.revision(p)));
        live.add(revs.current().getMetadata().getName());
        live.add(revs.update().getMetadata().getName());
        Integer limit = set.getSpec().getRevisionHistoryLimit();
        history.truncate(owned, live, limit == null ? 10 : limit);
    }

    /** Performs one action; false when the sync should stop here without an error. */
    private boolean perform(StatefulSet set, StatefulSetPlan.Action action) {
        return switch (action) {
            case StatefulSetPlan.CreatePod(Pod pod) -> createPod(set, pod);
            case StatefulSetPlan.DeletePod(Pod pod) -> {
                deletePod(set, pod);
                yield true;
            }
            case StatefulSetPlan.UpdatePod(Pod pod) -> {
                updatePod(set, pod);
                yield true;
            }
            case StatefulSetPlan.CreateClaims(Pod pod) -> {
                createMissingClaims(set, pod);
                yield true;
            }
            case StatefulSetPlan.FixClaimOwners(Pod pod) -> {
                fixClaimOwners(set, pod);
                yield true;
            }
        };
    }

    private boolean createPod(StatefulSet set, Pod pod) {
        createMissingClaims(set, pod);
        try {
            client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false; // our cache is behind: the pod's event will bring us back
            }
            podEvent(set, "create", pod, e);
            throw e;
        }
        podEvent(set, "create", pod, null);
        return true;
    }

    private void deletePod(StatefulSet set, Pod pod) {
        try {
            client.pods().inNamespace(set.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .delete();
        } catch (KubernetesClientException e) {
            podEvent(set, "delete", pod, e);
            throw e;
        }
        podEvent(set, "delete", pod, null);
    }

    private void updatePod(StatefulSet set, Pod pod) {
        try {
            client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).update();
        } catch (KubernetesClientException e) {
            podEvent(set, "update", pod, e);
            throw e;
        }
        podEvent(set, "update", pod, null);
    }

    /** Creates the pod's claims that the cache does not hold; one that exists already is fine. */
    private void createMissingClaims(StatefulSet set, Pod pod) {
        for (PersistentVolumeClaim claim : StatefulPods.claims(set, StatefulPods.ordinal(pod))) {
            if (claims.get(set.getMetadata().getNamespace(), claim.getMetadata().getName()).isPresent()) {
                continue;
            }
            PersistentVolumeClaim owned = new PersistentVolumeClaimBuilder(claim).editMetadata()
                    .withOwnerReferences(ClaimRetention.ownersAtCreation(set)).endMetadata().build();
            try {
                client.persistentVolumeClaims().inNamespace(set.getMetadata().getNamespace()).resource(owned).create();
                claimEvent(set, pod, claim, null);
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                    continue;
                }
                claimEvent(set, pod, claim, e);
                podEvent(set, "create", pod, e);
                throw e;
            }
        }
    }

    private void fixClaimOwners(StatefulSet set, Pod pod) {
        for (PersistentVolumeClaim wanted : StatefulPods.claims(set, StatefulPods.ordinal(pod))) {
            Optional<PersistentVolumeClaim> cached = claims.get(set.getMetadata().getNamespace(),
                    wanted.getMetadata().getName());
            if (cached.isEmpty() || ClaimRetention.upToDate(set, pod, cached.get())) {
                continue;
            }
            PersistentVolumeClaim updated = new PersistentVolumeClaimBuilder(cached.get()).editMetadata()
                    .withOwnerReferences(ClaimRetention.desiredOwners(set, pod, cached.get())).endMetadata().build();
            client.persistentVolumeClaims().inNamespace(set.getMetadata().getNamespace()).resource(updated).update();
        }
    }

    /** Upstream's pod events: "create Pod web-0 in StatefulSet web successful", or Failed… with the error. */
    private void podEvent(StatefulSet set, String verb, Pod pod, Exception error) {
        String reason = (error == null ? "Successful" : "Failed") + Character.toUpperCase(verb.charAt(0))
                + verb.substring(1);
        String message = verb + " Pod " + pod.getMetadata().getName() + " in StatefulSet "
                + set.getMetadata().getName() + (error == null ? " successful" : " failed error: " + error.getMessage());
        events.record(set, error == null ? CoreEvents.NORMAL : CoreEvents.WARNING, reason, message);
        if (error != null) {
            log.debug("statefulset={} {} pod={} failed: {}", Keys.of(set), verb, pod.getMetadata().getName(),
                    error.toString());
        }
    }

    private void claimEvent(StatefulSet set, Pod pod, PersistentVolumeClaim claim, Exception error) {
        if (error == null) {
            events.normal(set, "SuccessfulCreate", "create Claim " + claim.getMetadata().getName() + " Pod "
                    + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName() + " success");
        } else {
            events.warning(set, "FailedCreate", "create Claim " + claim.getMetadata().getName() + " for Pod "
                    + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName()
                    + " failed error: " + error.getMessage());
        }
    }

    private void updateStatus(StatefulSet set, StatefulSetStatus status) {
        if (status.equals(set.getStatus())) {
            return;
        }
        StatefulSet copy = new StatefulSetBuilder(set).withStatus(status).build();
        client.apps().statefulSets().inNamespace(set.getMetadata().getNamespace()).resource(copy).updateStatus();
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> add, BiConsumer<T, T> update, Consumer<T> delete) {
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
