package dev.konductor.kubelet.sim;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a simulated kubelet does next with one pod bound to it: a pure function of the pod, when
 * the node first saw it, the time and the settings. The pod's own status is the state machine's
 * state (Pending, Running ready or not, finished), so a restarted node carries on where the last
 * one stopped.
 */
final class PodLifecycle {

    /** The next step for a pod. */
    sealed interface Step {
    }

    /** Nothing to do until the pod changes. */
    record Idle() implements Step {
    }

    /** Nothing to do before {@code at}. */
    record WaitUntil(Instant at) implements Step {
    }

    /** Start the containers: Running, with a pod IP. */
    record Start(boolean ready) implements Step {
    }

    /** Running already; post the readiness the pod should now have. */
    record SetReadiness(boolean ready) implements Step {
    }

    /** The containers exited with {@code exitCode}. */
    record Finish(int exitCode) implements Step {
    }

    /** The grace period is over (as far as a simulated container needs it): delete the pod for good. */
    record Finalize() implements Step {
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private PodLifecycle() {
    }

    static Step next(Pod pod, Instant firstSeen, Instant now, SimSettings settings) {
        String deletion = pod.getMetadata().getDeletionTimestamp();
        if (deletion != null) {
            Instant due = finalizeAt(pod, deletion, settings.maxGracePeriod());
            return now.isBefore(due) ? new WaitUntil(due) : new Finalize();
        }
        PodStatus status = pod.getStatus();
        String phase = status == null || status.getPhase() == null ? "Pending" : status.getPhase();
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return new Idle();
        }
        boolean ready = !"false".equalsIgnoreCase(annotation(pod, SimAnnotations.READY));
        if (!phase.equals("Running")) {
            Instant due = firstSeen.plus(settings.podStartDelay());
            return now.isBefore(due) ? new WaitUntil(due) : new Start(ready);
        }
        Duration runFor = runDuration(pod, settings);
        if (runFor != null) {
            Instant started = startedAt(status);
            Instant due = (started != null ? started : firstSeen).plus(runFor);
            if (!now.isBefore(due)) {
                return new Finish(exitCode(pod));
            }
            if (PodStatuses.isReady(status) != ready) {
                return new SetReadiness(ready);
            }
            return new WaitUntil(due);
        }
        return PodStatuses.isReady(status) != ready ? new SetReadiness(ready) : new Idle();
    }

    /**
     * When a terminating pod goes: the API server set its deletionTimestamp to the request time
     * plus the grace period; a simulated container stops within {@code maxGrace} of the request.
     */
    static Instant finalizeAt(Pod pod, String deletionTimestamp, Duration maxGrace) {
        Instant deadline;
        try {
            deadline = Instant.parse(deletionTimestamp);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        long seconds = grace == null ? 0 : Math.max(0, grace);
        Instant requested = deadline.minusSeconds(seconds);
        Duration wait = Duration.ofSeconds(seconds).compareTo(maxGrace) < 0 ? Duration.ofSeconds(seconds) : maxGrace;
        return requested.plus(wait);
    }

    static boolean ownedByJob(Pod pod) {
        if (pod.getMetadata().getOwnerReferences() == null) {
            return false;
        }
        for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
            if ("Job".equals(ref.getKind()) && ref.getApiVersion() != null && ref.getApiVersion().startsWith("batch/")) {
                return true;
            }
        }
        return false;
    }

    /** How long the pod runs, or null if it runs until deleted. */
    static Duration runDuration(Pod pod, SimSettings settings) {
        Duration annotated = parseDuration(annotation(pod, SimAnnotations.RUN_DURATION));
        if (annotated != null) {
            return annotated;
        }
        return ownedByJob(pod) ? settings.jobPodDuration() : null;
    }

    /** {@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 2h}; null if absent or malformed. */
    static Duration parseDuration(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = DURATION.matcher(text.trim());
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        return end == text.trim().length() && end > 0 ? total : null;
    }

    private static int exitCode(Pod pod) {
        String code = annotation(pod, SimAnnotations.EXIT_CODE);
        if (code == null) {
            return 0;
        }
        try {
            return Integer.parseInt(code.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Instant startedAt(PodStatus status) {
        if (status.getContainerStatuses() == null || status.getContainerStatuses().isEmpty()) {
            return null;
        }
        var state = status.getContainerStatuses().getFirst().getState();
        if (state == null || state.getRunning() == null || state.getRunning().getStartedAt() == null) {
            return null;
        }
        try {
            return Instant.parse(state.getRunning().getStartedAt());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String annotation(Pod pod, String key) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
