package dev.konductor.controllers.deployment;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.OwnerRefs;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps every Deployment sync shares (upstream's sync.go): finding or creating the new
 * ReplicaSet and keeping revisions in step, scaling ReplicaSets (proportionally while a rollout
 * is under way), cleaning up old history and writing status. Works on a private copy of the
 * Deployment, whose status and annotations it updates as it writes them.
 */
final class DeploymentSync {

    /**
     * The Deployment's new ReplicaSet (null if none yet) and all the others, as they are after
     * this sync's own writes.
     */
    static final class Sets {
        private ReplicaSet newRs;
        private final List<ReplicaSet> old;

        Sets(ReplicaSet newRs, List<ReplicaSet> old) {
            this.newRs = newRs;
            this.old = new ArrayList<>(old);
        }

        ReplicaSet newRs() {
            return newRs;
        }

        List<ReplicaSet> old() {
            return old;
        }

        List<ReplicaSet> all() {
            return ReplicaSetLists.all(newRs, old);
        }

        /** The version of {@code rs} this sync knows last. */
        ReplicaSet current(ReplicaSet rs) {
            if (newRs != null && ReplicaSetLists.sameUid(newRs, rs)) {
                return newRs;
            }
            return old.stream().filter(o -> ReplicaSetLists.sameUid(o, rs)).findFirst().orElse(rs);
        }

        /** Swaps in the written version of one of the ReplicaSets. */
        void replace(ReplicaSet updated) {
            if (newRs != null && ReplicaSetLists.sameUid(newRs, updated)) {
                newRs = updated;
            }
            old.replaceAll(rs -> ReplicaSetLists.sameUid(rs, updated) ? updated : rs);
        }
    }

    private final KubernetesClient client;
    private final CoreEvents events;
    private final Clock clock;

    DeploymentSync(KubernetesClient client, CoreEvents events, Clock clock) {
        this.client = client;
        this.events = events;
        this.clock = clock;
    }

    /** Scaling or paused: resize ReplicaSets without rolling, clean up if paused, write status. */
    void scaleOnly(Deployment d, List<ReplicaSet> rsList) {
        Sets sets = replicaSetsAndSyncRevision(d, rsList, false);
        scale(d, sets);
        if (Deployments.paused(d)) {
            cleanup(sets.old(), d);
        }
        syncStatus(d, sets.all(), sets.newRs());
    }

    /**
     * Finds the new ReplicaSet (creating it if asked and missing), brings its revision
     * annotations and the Deployment's revision up to date, and returns it with the old ones.
     */
    Sets replicaSetsAndSyncRevision(Deployment d, List<ReplicaSet> rsList, boolean create) {
        List<ReplicaSet> old = new ArrayList<>(ReplicaSetLists.findOld(d, rsList));
        ReplicaSet newRs = newReplicaSet(d, rsList, old, create);
        return new Sets(newRs, old);
    }

    private ReplicaSet newReplicaSet(Deployment d, List<ReplicaSet> rsList, List<ReplicaSet> old, boolean create) {
        ReplicaSet existing = ReplicaSetLists.findNew(d, rsList);
        long newRevision = RevisionAnnotations.maxRevision(old) + 1;
        String namespace = d.getMetadata().getNamespace();
        if (existing != null) {
            ReplicaSet copy = new ReplicaSetBuilder(existing).build();
            boolean annotationsChanged = RevisionAnnotations.syncNewReplicaSet(d, copy, newRevision, true);
            boolean minReadyChanged = !java.util.Objects.equals(orZero(copy.getSpec().getMinReadySeconds()),
                    Deployments.minReadySeconds(d));
            if (annotationsChanged || minReadyChanged) {
                copy.getSpec().setMinReadySeconds(Deployments.minReadySeconds(d));
                return client.apps().replicaSets().inNamespace(namespace).resource(copy).update();
            }
            boolean needsUpdate = RevisionAnnotations.setDeploymentRevision(d,
                    RevisionAnnotations.annotation(copy, RevisionAnnotations.REVISION));
            if (Deployments.hasProgressDeadline(d)
                    && DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING).isEmpty()) {
                DeploymentConditions.set(d.getStatus(), DeploymentConditions.create(DeploymentConditions.PROGRESSING,
                        "True", DeploymentConditions.FOUND_NEW_RS,
                        "Found new replica set \"" + copy.getMetadata().getName() + "\"", clock.instant()));
                needsUpdate = true;
            }
            if (needsUpdate) {
                updateStatus(d);
            }
            return copy;
        }
        if (!create) {
            return null;
        }
        ReplicaSet fresh = replicaSetFor(d);
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(fresh);
        int size = ReplicaSetLists.newReplicaSetSize(d, all, fresh);
        fresh.getSpec().setReplicas(size);
        RevisionAnnotations.syncNewReplicaSet(d, fresh, newRevision, false);
        ReplicaSet created;
        boolean alreadyExisted = false;
        try {
            created = client.apps().replicaSets().inNamespace(namespace).resource(fresh).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                String message = "Failed to create new replica set \"" + fresh.getMetadata().getName() + "\": "
                        + message(e);
                if (Deployments.hasProgressDeadline(d)) {
                    DeploymentConditions.set(d.getStatus(), DeploymentConditions.create(
                            DeploymentConditions.PROGRESSING, "False", DeploymentConditions.FAILED_RS_CREATE, message,
                            clock.instant()));
                    try {
                        updateStatus(d);
                    } catch (KubernetesClientException ignored) {
                        // the creation failure is the error to report
                    }
                }
                events.warning(d, DeploymentConditions.FAILED_RS_CREATE, message);
                throw e;
            }
            ReplicaSet found = client.apps().replicaSets().inNamespace(namespace)
                    .withName(fresh.getMetadata().getName()).get();
            if (found != null && OwnerRefs.isControlledBy(found, d.getMetadata().getUid())
                    && PodTemplateHash.equalIgnoringHash(d.getSpec().getTemplate(), found.getSpec().getTemplate())) {
                created = found;
                alreadyExisted = true;
            } else {
                // a hash collision: another template holds the name; count it and try another name
                DeploymentStatus status = d.getStatus();
                status.setCollisionCount(status.getCollisionCount() == null ? 1 : status.getCollisionCount() + 1);
                updateStatus(d);
                throw e;
            }
        }
        if (!alreadyExisted && size > 0) {
            events.normal(d, "ScalingReplicaSet",
                    "Scaled up replica set " + created.getMetadata().getName() + " from 0 to " + size);
        }
        boolean needsUpdate = RevisionAnnotations.setDeploymentRevision(d, Long.toString(newRevision));
        if (!alreadyExisted && Deployments.hasProgressDeadline(d)) {
            DeploymentConditions.set(d.getStatus(), DeploymentConditions.create(DeploymentConditions.PROGRESSING,
                    "True", DeploymentConditions.NEW_RS_CREATED,
                    "Created new replica set \"" + created.getMetadata().getName() + "\"", clock.instant()));
            needsUpdate = true;
        }
        if (needsUpdate) {
            updateStatus(d);
        }
        return created;
    }

    /** The ReplicaSet a Deployment's current template asks for, named {@code <deployment>-<hash>}. */
    static ReplicaSet replicaSetFor(Deployment d) {
        String hash = PodTemplateHash.of(d.getSpec().getTemplate(),
                d.getStatus() == null ? null : d.getStatus().getCollisionCount());
        PodTemplateSpec template = new PodTemplateSpecBuilder(d.getSpec().getTemplate()).build();
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata() == null
                || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
        labels.put(PodTemplateHash.LABEL, hash);
        if (template.getMetadata() == null) {
            template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
        }
        template.getMetadata().setLabels(labels);
        LabelSelector selector = new LabelSelectorBuilder(d.getSpec().getSelector())
                .addToMatchLabels(PodTemplateHash.LABEL, hash).build();
        return new ReplicaSetBuilder()
                .withNewMetadata().withName(d.getMetadata().getName() + "-" + hash)
                .withNamespace(d.getMetadata().getNamespace()).withLabels(new LinkedHashMap<>(labels))
                .withOwnerReferences(controllerRef(d)).endMetadata()
                .withNewSpec().withReplicas(0).withMinReadySeconds(Deployments.minReadySeconds(d))
                .withSelector(selector).withTemplate(template).endSpec()
                .build();
    }

    static OwnerReference controllerRef(Deployment d) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /**
     * Brings the ReplicaSets' total to the Deployment's size: the only active one (or the newest)
     * takes it all; a saturated new one leaves the old ones nothing; otherwise, during a rolling
     * update, the difference is spread in proportion to their sizes, larger ones first, leftovers
     * to the first.
     */
    void scale(Deployment d, Sets sets) {
        int desired = Deployments.replicas(d);
        ReplicaSet single = ReplicaSetLists.activeOrLatest(sets.newRs(), sets.old());
        if (single != null) {
            if (Deployments.replicas(single) != desired) {
                sets.replace(scaleAndRecord(single, desired, d).rs());
            }
            return;
        }
        if (ReplicaSetLists.isSaturated(d, sets.newRs())) {
            for (ReplicaSet old : ReplicaSetLists.active(sets.old())) {
                sets.replace(scaleAndRecord(old, 0, d).rs());
            }
            return;
        }
        if (!Fenceposts.isRollingUpdate(d)) {
            return;
        }
        List<ReplicaSet> active = new ArrayList<>(ReplicaSetLists.active(sets.all()));
        int total = ReplicaSetLists.specReplicas(active);
        int allowed = desired > 0 ? desired + Fenceposts.maxSurge(d) : 0;
        int toAdd = allowed - total;
        String operation = "";
        if (toAdd > 0) {
            active.sort(ReplicaSetLists.BY_SIZE_NEWER);
            operation = "up";
        } else if (toAdd < 0) {
            active.sort(ReplicaSetLists.BY_SIZE_OLDER);
            operation = "down";
        }
        Map<String, Integer> sizes = new HashMap<>();
        int added = 0;
        for (ReplicaSet rs : active) {
            int proportion = toAdd != 0 ? ReplicaSetLists.proportion(rs, d, toAdd, added) : 0;
            sizes.put(rs.getMetadata().getName(), Deployments.replicas(rs) + proportion);
            added += proportion;
        }
        for (int i = 0; i < active.size(); i++) {
            ReplicaSet rs = active.get(i);
            String name = rs.getMetadata().getName();
            if (i == 0 && toAdd != 0) {
                sizes.put(name, Math.max(0, sizes.get(name) + toAdd - added));
            }
            sets.replace(scaleReplicaSet(rs, sizes.get(name), d, operation).rs());
        }
    }

    /** What a scale call did: whether the size changed, and the ReplicaSet as it is now. */
    record Scaled(boolean scaled, ReplicaSet rs) {
    }

    Scaled scaleAndRecord(ReplicaSet rs, int newScale, Deployment d) {
        if (Deployments.replicas(rs) == newScale) {
            return new Scaled(false, rs);
        }
        return scaleReplicaSet(rs, newScale, d, Deployments.replicas(rs) < newScale ? "up" : "down");
    }

    /**
     * Sets the ReplicaSet's size and its desired/max replica annotations, recording
     * {@code Scaled <op> replica set <name> from <old> to <new>} when the size changed.
     */
    Scaled scaleReplicaSet(ReplicaSet rs, int newScale, Deployment d, String operation) {
        int desired = Deployments.replicas(d);
        int max = desired + Fenceposts.maxSurge(d);
        boolean sizeChanges = Deployments.replicas(rs) != newScale;
        if (!sizeChanges && !RevisionAnnotations.replicasNeedUpdate(rs, desired, max)) {
            return new Scaled(false, rs);
        }
        int oldScale = Deployments.replicas(rs);
        ReplicaSet copy = new ReplicaSetBuilder(rs).build();
        copy.getSpec().setReplicas(newScale);
        RevisionAnnotations.setReplicas(copy, desired, max);
        ReplicaSet updated = client.apps().replicaSets().inNamespace(copy.getMetadata().getNamespace())
                .resource(copy).update();
        if (sizeChanges) {
            events.normal(d, "ScalingReplicaSet", "Scaled " + operation + " replica set "
                    + updated.getMetadata().getName() + " from " + oldScale + " to " + newScale);
        }
        return new Scaled(sizeChanges, updated);
    }

    /**
     * Deletes the oldest ReplicaSets beyond revisionHistoryLimit, only those scaled to zero
     * with no pods left and their latest spec observed.
     */
    void cleanup(List<ReplicaSet> old, Deployment d) {
        if (!Deployments.hasRevisionHistoryLimit(d)) {
            return;
        }
        List<ReplicaSet> cleanable = new ArrayList<>(old.stream()
                .filter(rs -> rs != null && rs.getMetadata().getDeletionTimestamp() == null).toList());
        int diff = cleanable.size() - d.getSpec().getRevisionHistoryLimit();
        if (diff <= 0) {
            return;
        }
        cleanable.sort(ReplicaSetLists.BY_REVISION);
        for (int i = 0; i < diff; i++) {
            ReplicaSet rs = cleanable.get(i);
            long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null
                    ? 0 : rs.getStatus().getObservedGeneration();
            long generation = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
            if (Deployments.statusReplicas(rs) != 0 || Deployments.replicas(rs) != 0 || generation > observed) {
                continue;
            }
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).delete();
        }
    }

    /** Writes replica counts and the Available condition (no rollout progress estimate). */
    void syncStatus(Deployment d, List<ReplicaSet> all, ReplicaSet newRs) {
        DeploymentStatus status = Progress.calculate(d, all, newRs, clock.instant());
        if (!Progress.same(d.getStatus(), status)) {
            d.setStatus(status);
            updateStatus(d);
        }
    }

    /** Writes the rollout status; returns when to look again for the progress deadline. */
    Optional<Duration> syncRolloutStatus(Deployment d, List<ReplicaSet> all, ReplicaSet newRs) {
        DeploymentStatus status = Progress.rollout(d, all, newRs, clock.instant());
        Optional<Duration> recheck = Progress.recheckAfter(d, status, clock.instant());
        if (!Progress.same(d.getStatus(), status)) {
            d.setStatus(status);
            updateStatus(d);
        }
        return recheck;
    }

    /** Writes {@code d}'s status (and annotations) through /status and keeps its resourceVersion current. */
    void updateStatus(Deployment d) {
        Deployment written = client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d)
                .updateStatus();
        d.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    static String message(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isEmpty()) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
