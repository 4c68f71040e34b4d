package dev.konductor.kubelet.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIPBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The pod statuses a kubelet would post for a simulated pod: running (ready or not) and finished
 * (Succeeded or Failed), with upstream's condition types, reasons and container states. Pure
 * functions of the pod and the times given; container IDs and image IDs are derived from the
 * pod's uid and image names so the same pod always gets the same ones.
 */
final class PodStatuses {

    private PodStatuses() {
    }

    /**
     * Running since {@code startedAt}; every container started, ready unless {@code ready} is
     * false. Transition times already in {@code pod}'s status are kept where the condition did not
     * change.
     */
    static PodStatus running(Pod pod, String hostIp, String podIp, String startedAt, boolean ready, String now) {
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<ContainerStatus> containers = new ArrayList<>();
        List<String> unready = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            ContainerState state = new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt).endRunning().build();
            containers.add(containerStatus(pod, c, state, ready, true));
            if (!ready) {
                unready.add(c.getName());
            }
        }
        String readyStatus = ready ? "True" : "False";
        String reason = ready ? null : "ContainersNotReady";
        String message = ready ? null : "containers with unready status: [" + String.join(" ", unready) + "]";
        List<PodCondition> conditions = List.of(
                condition(old, "PodReadyToStartContainers", "True", null, null, startedAt),
                condition(old, "Initialized", "True", null, null, startedAt),
                condition(old, "Ready", readyStatus, reason, message, now),
                condition(old, "ContainersReady", readyStatus, reason, message, now),
                condition(old, "PodScheduled", "True", null, null, startedAt));
        return new PodStatusBuilder()
                .withPhase("Running")
                .withConditions(conditions)
                .withHostIP(hostIp).withHostIPs(new HostIPBuilder().withIp(hostIp).build())
                .withPodIP(podIp).withPodIPs(new PodIPBuilder().withIp(podIp).build())
                .withStartTime(old.getStartTime() != null ? old.getStartTime() : startedAt)
                .withInitContainerStatuses(initContainerStatuses(pod, startedAt))
                .withContainerStatuses(containers)
                .withQosClass(old.getQosClass())
                .build();
    }

    /**
     * Finished at {@code now}: every container terminated with {@code exitCode} (0: Completed and
     * phase Succeeded; otherwise Error and phase Failed). The pod keeps its IPs and start time.
     */
    static PodStatus finished(Pod pod, int exitCode, String now) {
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        String reason = exitCode == 0 ? "Completed" : "Error";
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            String startedAt = runningSince(old, c.getName());
            ContainerState state = new ContainerStateBuilder().withNewTerminated()
                    .withExitCode(exitCode).withReason(reason)
                    .withStartedAt(startedAt != null ? startedAt : now).withFinishedAt(now)
                    .withContainerID(containerId(pod, c.getName()))
                    .endTerminated().build();
            containers.add(containerStatus(pod, c, state, false, false));
        }
        List<PodCondition> conditions = List.of(
                condition(old, "PodReadyToStartContainers", "False", null, null, now),
                condition(old, "Initialized", "True", "PodCompleted", null, now),
                condition(old, "Ready", "False", "PodCompleted", null, now),
                condition(old, "ContainersReady", "False", "PodCompleted", null, now),
                condition(old, "PodScheduled", "True", null, null, now));
        return new PodStatusBuilder(old)
                .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withConditions(conditions)
                .withContainerStatuses(containers)
                .build();
    }

    /** When container {@code name} started running, from the status; null if it is not running. */
    static String runningSince(PodStatus status, String name) {
        if (status == null || status.getContainerStatuses() == null) {
            return null;
        }
        for (ContainerStatus cs : status.getContainerStatuses()) {
            if (name.equals(cs.getName()) && cs.getState() != null && cs.getState().getRunning() != null) {
                return cs.getState().getRunning().getStartedAt();
            }
        }
        return null;
    }

    /** Whether the pod's Ready condition is True. */
    static boolean isReady(PodStatus status) {
        return conditionStatus(status, "Ready").equals("True");
    }

    static String conditionStatus(PodStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return "";
        }
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).map(PodCondition::getStatus)
                .findFirst().orElse("");
    }

    static String containerId(Pod pod, String container) {
        return "sim://" + sha256(pod.getMetadata().getUid() + "/" + container).substring(0, 64);
    }

    /** The image name as a runtime reports it: registry and tag made explicit. */
    static String normalizedImage(String image) {
        if (image == null || image.isEmpty()) {
            return "";
        }
        String name = image;
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (!hasRegistry) {
            name = (slash < 0 ? "docker.io/library/" : "docker.io/") + name;
        }
        String lastSegment = name.substring(name.lastIndexOf('/') + 1);
        if (!lastSegment.contains(":") && !lastSegment.contains("@")) {
            name = name + ":latest";
        }
        return name;
    }

    private static ContainerStatus containerStatus(Pod pod, Container c, ContainerState state, boolean ready,
                                                   boolean started) {
        String image = normalizedImage(c.getImage());
        String repository = image.contains("@") ? image.substring(0, image.indexOf('@'))
                : image.substring(0, image.lastIndexOf(':') > image.lastIndexOf('/') ? image.lastIndexOf(':') : image.length());
        return new ContainerStatusBuilder()
                .withName(c.getName())
                .withImage(image)
                .withImageID(repository + "@sha256:" + sha256(image))
                .withContainerID(containerId(pod, c.getName()))
                .withReady(ready)
                .withStarted(started)
                .withRestartCount(0)
                .withState(state)
                .build();
    }

    private static List<ContainerStatus> initContainerStatuses(Pod pod, String startedAt) {
        List<ContainerStatus> statuses = new ArrayList<>();
        if (pod.getSpec().getInitContainers() == null) {
            return statuses;
        }
        for (Container c : pod.getSpec().getInitContainers()) {
            ContainerState state = new ContainerStateBuilder().withNewTerminated()
                    .withExitCode(0).withReason("Completed").withStartedAt(startedAt).withFinishedAt(startedAt)
                    .withContainerID(containerId(pod, c.getName())).endTerminated().build();
            statuses.add(containerStatus(pod, c, state, true, false));
        }
        return statuses;
    }

    private static PodCondition condition(PodStatus old, String type, String status, String reason, String message,
                                          String transition) {
        String lastTransition = transition;
        if (old.getConditions() != null) {
            for (PodCondition c : old.getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    lastTransition = c.getLastTransitionTime();
                }
            }
        }
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(lastTransition).withLastProbeTime(null).build();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
