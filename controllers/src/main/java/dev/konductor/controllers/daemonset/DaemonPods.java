package dev.konductor.controllers.daemonset;

import dev.konductor.controllers.history.Revisions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the DaemonSet controller asks of one of its pods. Pure functions. */
final class DaemonPods {

    /** The label upstream still puts on daemon pods when the DaemonSet carries a template generation. */
    static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";
    /** The DaemonSet annotation the API server keeps the template generation in (apps/v1). */
    static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

    private DaemonPods() {
    }

    /** Bound pods before unbound ones, then oldest first, then by name (upstream's podByCreationTimestampAndPhase). */
    static final Comparator<Pod> OLDEST_BOUND_FIRST = Comparator
            .comparing((Pod p) -> p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty())
            .thenComparing(p -> created(p))
            .thenComparing(p -> p.getMetadata().getName());

    static Instant created(Pod pod) {
        String ts = pod.getMetadata().getCreationTimestamp();
        return ts == null ? Instant.EPOCH : Instant.parse(ts);
    }

    static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
    }

    static boolean terminal(Pod pod) {
        return phase(pod).equals("Failed") || phase(pod).equals("Succeeded");
    }

    static boolean ready(Pod pod) {
        return readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** Ready for at least {@code minReadySeconds} (upstream's IsPodAvailable). */
    static boolean available(Pod pod, int minReadySeconds, Instant now) {
        if (!ready(pod)) {
            return false;
        }
        if (minReadySeconds <= 0) {
            return true;
        }
        return readyCondition(pod).map(PodCondition::getLastTransitionTime).map(Instant::parse)
                .map(since -> !since.plusSeconds(minReadySeconds).isAfter(now)).orElse(false);
    }

    /** When a ready pod becomes available, if it is ready but not yet available. */
    static Optional<Instant> availableAt(Pod pod, int minReadySeconds, Instant now) {
        if (!ready(pod) || available(pod, minReadySeconds, now)) {
            return Optional.empty();
        }
        return readyCondition(pod).map(PodCondition::getLastTransitionTime).map(Instant::parse)
                .map(since -> since.plusSeconds(minReadySeconds));
    }

    private static Optional<PodCondition> readyCondition(Pod pod) {
        List<PodCondition> conditions = pod.getStatus() == null ? null : pod.getStatus().getConditions();
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    /** True if the pod runs the current template: its revision hash or template generation matches. */
    static boolean updated(Pod pod, String hash, String templateGeneration) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        boolean hashMatches = hash != null && !hash.isEmpty() && hash.equals(labels.get(Revisions.POD_REVISION_LABEL));
        boolean generationMatches = templateGeneration != null
                && templateGeneration.equals(labels.get(TEMPLATE_GENERATION_LABEL));
        return hashMatches || generationMatches;
    }
}
