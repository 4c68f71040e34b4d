package dev.konductor.apiserver.printers;

import static dev.konductor.apiserver.printers.KindPrinter.row;
import static dev.konductor.apiserver.printers.ObjectFields.age;
import static dev.konductor.apiserver.printers.ObjectFields.at;
import static dev.konductor.apiserver.printers.ObjectFields.instant;
import static dev.konductor.apiserver.printers.ObjectFields.integer;
import static dev.konductor.apiserver.printers.ObjectFields.items;
import static dev.konductor.apiserver.printers.ObjectFields.name;
import static dev.konductor.apiserver.printers.ObjectFields.present;
import static dev.konductor.apiserver.printers.ObjectFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pod row of {@code kubectl get pods}: READY, the one-word STATUS summary, RESTARTS with the
 * time of the last restart, and the wide IP/NODE/NOMINATED NODE/READINESS GATES columns.
 *
 * <p>STATUS is upstream's precedence, which users read as a diagnosis, so it is kept exactly:
 * the phase (or {@code status.reason}), overridden by the first init container that has not
 * finished ({@code Init:1/3}, {@code Init:CrashLoopBackOff}), else by the last app container that
 * is waiting or terminated ({@code ContainerCreating}, {@code ErrImagePull}, {@code Completed},
 * {@code ExitCode:1}); finally {@code Terminating} while deletion is pending, or {@code Unknown}
 * when the node is lost.
 */
final class PodPrinter {

    /** The reason the node lifecycle controller gives pods on an unreachable node. */
    private static final String NODE_LOST = "NodeLost";

    private PodPrinter() {
    }

    static KindPrinter printer() {
        return new KindPrinter(List.of(
                ColumnDefinition.nameColumn(),
                ColumnDefinition.string("Ready", "Ready containers out of all containers of the pod."),
                ColumnDefinition.string("Status", "A one-word summary of the pod's state."),
                ColumnDefinition.string("Restarts", "Container restarts, and how long ago the last one was."),
                ColumnDefinition.ageColumn(),
                ColumnDefinition.string("IP", "The pod's primary IP address.").wide(),
                ColumnDefinition.string("Node", "The node the pod is bound to.").wide(),
                ColumnDefinition.string("Nominated Node", "The node the scheduler expects the pod to run on "
                        + "once preemption completes.").wide(),
                ColumnDefinition.string("Readiness Gates", "Readiness gates whose condition is True, out of all.").wide()),
                PodPrinter::cells, PodPrinter::conditions);
    }

    private static List<KindPrinter.RowCondition> conditions(ObjectNode pod) {
        return switch (text(pod, "status", "phase")) {
            case "Succeeded" -> List.of(new KindPrinter.RowCondition("Completed", "True", "Succeeded",
                    "The pod has completed successfully."));
            case "Failed" -> List.of(new KindPrinter.RowCondition("Completed", "True", "Failed", "The pod failed."));
            default -> List.of();
        };
    }

    /** What the containers add up to: counts, the reason shown as STATUS, the latest restart. */
    private static final class Summary {
        int ready;
        int total;
        long restarts;
        Instant lastRestart;
        String reason;
    }

    private static List<Object> cells(ObjectNode pod, Instant now) {
        Summary summary = summarize(pod);
        String restarts = Long.toString(summary.restarts);
        if (summary.restarts != 0 && summary.lastRestart != null) {
            restarts = summary.restarts + " (" + Durations.human(Duration.between(summary.lastRestart, now)) + " ago)";
        }
        return row(name(pod), summary.ready + "/" + summary.total, summary.reason, restarts, age(pod, now),
                orNone(podIp(pod)), orNone(text(pod, "spec", "nodeName")),
                orNone(text(pod, "status", "nominatedNodeName")), readinessGates(pod));
    }

    private static Summary summarize(ObjectNode pod) {
        Summary s = new Summary();
        String phase = text(pod, "status", "phase");
        s.reason = text(pod, "status", "reason").isEmpty() ? phase : text(pod, "status", "reason");
        for (JsonNode condition : items(pod, "status", "conditions")) {
            if (text(condition, "type").equals("PodScheduled") && text(condition, "reason").equals("SchedulingGated")) {
                s.reason = "SchedulingGated";
            }
        }
        s.total = items(pod, "spec", "containers").size();
        Set<String> sidecars = new HashSet<>();
        List<JsonNode> initContainers = items(pod, "spec", "initContainers");
        for (JsonNode container : initContainers) {
            // an init container with restartPolicy Always is a sidecar: it counts as a container
            if (text(container, "restartPolicy").equals("Always")) {
                sidecars.add(text(container, "name"));
                s.total++;
            }
        }
        boolean initializing = summarizeInitContainers(pod, s, sidecars, initContainers.size());
        if (!initializing || conditionTrue(pod, "Initialized")) {
            summarizeContainers(pod, s);
        }
        if (present(pod, "metadata", "deletionTimestamp")) {
            if (text(pod, "status", "reason").equals(NODE_LOST)) {
                s.reason = "Unknown";
            } else if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
                s.reason = "Terminating";
            }
        }
        return s;
    }

    /** Returns whether the pod is still initializing; sets the reason to the init step it is at. */
    private static boolean summarizeInitContainers(ObjectNode pod, Summary s, Set<String> sidecars, int initCount) {
        List<JsonNode> statuses = items(pod, "status", "initContainerStatuses");
        long sidecarRestarts = 0;
        Instant sidecarLastRestart = null;
        boolean initializing = false;
        for (int i = 0; i < statuses.size(); i++) {
            JsonNode status = statuses.get(i);
            boolean sidecar = sidecars.contains(text(status, "name"));
            s.restarts += integer(status, "restartCount");
            s.lastRestart = later(s.lastRestart, lastTermination(status));
            if (sidecar) {
                sidecarRestarts += integer(status, "restartCount");
                sidecarLastRestart = later(sidecarLastRestart, lastTermination(status));
            }
            JsonNode terminated = at(status, "state", "terminated");
            JsonNode waiting = at(status, "state", "waiting");
            if (!terminated.isMissingNode() && integer(terminated, "exitCode") == 0) {
                continue;
            } else if (sidecar && ObjectFields.bool(status, "started")) {
                if (ObjectFields.bool(status, "ready")) {
                    s.ready++;
                }
                continue;
            } else if (!terminated.isMissingNode()) {
                s.reason = "Init:" + terminationReason(terminated);
            } else if (!text(waiting, "reason").isEmpty() && !text(waiting, "reason").equals("PodInitializing")) {
                s.reason = "Init:" + text(waiting, "reason");
            } else {
                s.reason = "Init:" + i + "/" + initCount;
            }
            initializing = true;
            break;
        }
        if (!initializing || conditionTrue(pod, "Initialized")) {
            // once initialized, only sidecars' restarts count alongside the app containers'
            s.restarts = sidecarRestarts;
            s.lastRestart = sidecarLastRestart;
        }
        return initializing;
    }

    private static void summarizeContainers(ObjectNode pod, Summary s) {
        List<JsonNode> statuses = items(pod, "status", "containerStatuses");
        boolean hasRunning = false;
        // last to first, so the first container's state wins, as upstream
        for (int i = statuses.size() - 1; i >= 0; i--) {
            JsonNode status = statuses.get(i);
            s.restarts += integer(status, "restartCount");
            s.lastRestart = later(s.lastRestart, lastTermination(status));
            JsonNode waiting = at(status, "state", "waiting");
            JsonNode terminated = at(status, "state", "terminated");
            if (!text(waiting, "reason").isEmpty()) {
                s.reason = text(waiting, "reason");
            } else if (!terminated.isMissingNode()) {
                s.reason = text(terminated, "reason").isEmpty() ? terminationReason(terminated) : text(terminated, "reason");
            } else if (ObjectFields.bool(status, "ready") && present(status, "state", "running")) {
                hasRunning = true;
                s.ready++;
            }
        }
        // a finished container next to a running one does not make the pod "Completed"
        if (s.reason.equals("Completed") && hasRunning) {
            s.reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
        }
    }

    /** A terminated state with no reason: {@code Signal:9} or {@code ExitCode:1}. */
    private static String terminationReason(JsonNode terminated) {
        if (!text(terminated, "reason").isEmpty()) {
            return text(terminated, "reason");
        }
        long signal = integer(terminated, "signal");
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + integer(terminated, "exitCode");
    }

    private static Instant lastTermination(JsonNode status) {
        return instant(at(status, "lastState", "terminated", "finishedAt")).orElse(null);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static boolean conditionTrue(ObjectNode pod, String type) {
        for (JsonNode condition : items(pod, "status", "conditions")) {
            if (text(condition, "type").equals(type)) {
                return text(condition, "status").equals("True");
            }
        }
        return false;
    }

    private static String podIp(ObjectNode pod) {
        List<JsonNode> ips = items(pod, "status", "podIPs");
        return ips.isEmpty() ? "" : text(ips.get(0), "ip");
    }

    private static String readinessGates(ObjectNode pod) {
        List<JsonNode> gates = items(pod, "spec", "readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        int passing = 0;
        for (JsonNode gate : gates) {
            if (conditionTrue(pod, text(gate, "conditionType"))) {
                passing++;
            }
        }
        return passing + "/" + gates.size();
    }

    private static String orNone(String value) {
        return value.isEmpty() ? "<none>" : value;
    }
}
