package dev.konductor.controllers.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The annotations through which a Deployment and its ReplicaSets record history: the revision
 * of each ReplicaSet (and of the Deployment), the revisions a reused ReplicaSet had before, and
 * the desired and maximum sizes the Deployment had when it last scaled a ReplicaSet (used by
 * proportional scaling). Every other Deployment annotation, such as
 * {@code kubernetes.io/change-cause}, is copied to its new ReplicaSet.
 */
final class RevisionAnnotations {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    static final String DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to";
    /** Upstream keeps the revision history annotation under this many characters. */
    static final int MAX_HISTORY_CHARS = 2000;

    private static final Set<String> NOT_COPIED = Set.of(LAST_APPLIED, REVISION, REVISION_HISTORY,
            DESIRED_REPLICAS, MAX_REPLICAS, DEPRECATED_ROLLBACK_TO);

    private RevisionAnnotations() {
    }

    /** The ReplicaSet's revision; empty when missing or not a number. */
    static OptionalLong revision(ReplicaSet rs) {
        String value = annotation(rs, REVISION);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The highest revision among {@code replicaSets}, 0 if none has one. */
    static long maxRevision(List<ReplicaSet> replicaSets) {
        long max = 0;
        for (ReplicaSet rs : replicaSets) {
            OptionalLong revision = revision(rs);
            if (revision.isPresent() && revision.getAsLong() > max) {
                max = revision.getAsLong();
            }
        }
        return max;
    }

    static OptionalInt desiredReplicas(ReplicaSet rs) {
        return intAnnotation(rs, DESIRED_REPLICAS);
    }

    static OptionalInt maxReplicas(ReplicaSet rs) {
        return intAnnotation(rs, MAX_REPLICAS);
    }

    /** Sets desired- and max-replicas on {@code rs} (a copy); true if they changed. */
    static boolean setReplicas(ReplicaSet rs, int desired, int max) {
        Map<String, String> annotations = mutableAnnotations(rs);
        boolean changed = !String.valueOf(desired).equals(annotations.put(DESIRED_REPLICAS, String.valueOf(desired)));
        changed |= !String.valueOf(max).equals(annotations.put(MAX_REPLICAS, String.valueOf(max)));
        return changed;
    }

    static boolean replicasNeedUpdate(ReplicaSet rs, int desired, int max) {
        return !String.valueOf(desired).equals(annotation(rs, DESIRED_REPLICAS))
                || !String.valueOf(max).equals(annotation(rs, MAX_REPLICAS));
    }

    /**
     * Brings the annotations of the Deployment's new ReplicaSet {@code rs} (a copy) up to date:
     * copies the Deployment's own annotations, raises its revision to {@code newRevision} if it
     * is lower (keeping the revisions it had in revision-history: a rollback reuses an old
     * ReplicaSet), and for a ReplicaSet not yet created sets its replica annotations.
     *
     * @return whether anything changed
     */
    static boolean syncNewReplicaSet(Deployment d, ReplicaSet rs, long newRevision, boolean exists) {
        boolean changed = copyDeploymentAnnotations(d, rs);
        Map<String, String> annotations = mutableAnnotations(rs);
        String oldRevision = annotations.get(REVISION);
        long oldRevisionNumber = 0;
        if (oldRevision != null) {
            try {
                oldRevisionNumber = Long.parseLong(oldRevision);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (oldRevisionNumber < newRevision) {
            annotations.put(REVISION, Long.toString(newRevision));
            changed = true;
            if (oldRevision != null) {
                appendHistory(annotations, oldRevision);
            }
        }
        if (!exists) {
            changed |= setReplicas(rs, Deployments.replicas(d), Deployments.replicas(d) + Fenceposts.maxSurge(d));
        }
        return changed;
    }

    private static void appendHistory(Map<String, String> annotations, String oldRevision) {
        String history = annotations.getOrDefault(REVISION_HISTORY, "");
        if (history.isEmpty()) {
            annotations.put(REVISION_HISTORY, oldRevision);
            return;
        }
        List<String> revisions = new ArrayList<>(Arrays.asList(history.split(",", -1)));
        int totalLength = history.length() + oldRevision.length() + 1;
        int start = 0;
        while (totalLength > MAX_HISTORY_CHARS && start < revisions.size()) {
            totalLength -= revisions.get(start).length() + 1;
            start++;
        }
        if (totalLength <= MAX_HISTORY_CHARS) {
            List<String> kept = new ArrayList<>(revisions.subList(start, revisions.size()));
            kept.add(oldRevision);
            annotations.put(REVISION_HISTORY, String.join(",", kept));
        }
    }

    private static boolean copyDeploymentAnnotations(Deployment d, ReplicaSet rs) {
        Map<String, String> source = d.getMetadata().getAnnotations();
        if (source == null || source.isEmpty()) {
            return false;
        }
        Map<String, String> annotations = mutableAnnotations(rs);
        boolean changed = false;
        for (Map.Entry<String, String> e : source.entrySet()) {
            if (NOT_COPIED.contains(e.getKey()) || e.getValue().equals(annotations.get(e.getKey()))) {
                continue;
            }
            annotations.put(e.getKey(), e.getValue());
            changed = true;
        }
        return changed;
    }

    /** Sets the Deployment's (a copy's) revision annotation; true if it changed. */
    static boolean setDeploymentRevision(Deployment d, String revision) {
        if (revision == null || revision.equals(annotation(d, REVISION))) {
            return false;
        }
        mutableAnnotations(d).put(REVISION, revision);
        return true;
    }

    private static OptionalInt intAnnotation(ReplicaSet rs, String key) {
        String value = annotation(rs, key);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    static String annotation(HasMetadata obj, String key) {
        Map<String, String> annotations = obj.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static Map<String, String> mutableAnnotations(HasMetadata obj) {
        Map<String, String> annotations = obj.getMetadata().getAnnotations();
        if (annotations == null) {
            annotations = new LinkedHashMap<>();
            obj.getMetadata().setAnnotations(annotations);
        }
        return annotations;
    }
}
