package dev.konductor.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.scheduler.events.EventRecorder;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.PodWriter;
import dev.konductor.scheduler.framework.Status;
import dev.konductor.scheduler.queue.QueuedPod;
import dev.konductor.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a pod could not be scheduled (upstream's handleSchedulingFailure): it goes
 * back to the queue (unschedulable, or backoff after an error), a FailedScheduling event is
 * recorded, and the pod's status gets PodScheduled=False with the reason and message (and the
 * nominated node after a preemption). The API writes run off the scheduling thread.
 */
final class FailureHandler {

    static final String UNSCHEDULABLE = "Unschedulable";
    static final String SCHEDULER_ERROR = "SchedulerError";
    private static final int MAX_EVENT_NOTE = 1024;
    private static final Logger log = LoggerFactory.getLogger(FailureHandler.class);

    private final SchedulingQueue queue;
    private final Function<String, Pod> currentPod;
    private final PodWriter writer;
    private final EventRecorder events;
    private final Clock clock;
    private final Executor async;
    private final ObjectMapper mapper = new ObjectMapper();

    /** @param currentPod the informer's latest version of a pod by namespace/name, null if gone */
    FailureHandler(SchedulingQueue queue, Function<String, Pod> currentPod, PodWriter writer, EventRecorder events,
                   Clock clock, Executor async) {
        this.queue = queue;
        this.currentPod = currentPod;
        this.writer = writer;
        this.events = events;
        this.clock = clock;
        this.async = async;
    }

    void handle(QueuedPod qp, long cycle, Status status, String nominatedNode, Set<String> plugins) {
        Pod current = currentPod.apply(qp.key());
        if (current == null || !Objects.equals(current.getMetadata().getUid(), qp.pod().pod().getMetadata().getUid())) {
            log.debug("pod={} is gone; not queued again", qp.key());
            queue.done(qp.key());
            return;
        }
        if (current.getSpec().getNodeName() != null && !current.getSpec().getNodeName().isEmpty()) {
            log.debug("pod={} was bound meanwhile; not queued again", qp.key());
            queue.done(qp.key());
            return;
        }
        qp.setUnschedulablePlugins(plugins);
        boolean rejected = status.isRejected();
        if (rejected) {
            queue.addUnschedulable(qp, cycle);
        } else {
            queue.addBackoff(qp);
        }
        PodInfo latest = PodInfo.of(current);
        if (!nominatedNode.isEmpty()) {
            queue.nominate(latest, nominatedNode);
        }
        String message = status.message();
        String reason = rejected ? UNSCHEDULABLE : SCHEDULER_ERROR;
        log.info("unable to schedule pod={} reason={} message=\"{}\"", qp.key(), reason, message);
        async.execute(() -> {
            events.event(current, null, EventRecorder.WARNING, "FailedScheduling", "Scheduling", truncate(message));
            updateStatus(current, reason, message, nominatedNode);
        });
    }

    static String truncate(String message) {
        if (message.length() <= MAX_EVENT_NOTE) {
            return message;
        }
        String suffix = " ...";
        return message.substring(0, MAX_EVENT_NOTE - suffix.length()) + suffix;
    }

    /** Patches PodScheduled (and nominatedNodeName) unless the pod already says exactly that. */
    private void updateStatus(Pod pod, String reason, String message, String nominatedNode) {
        PodCondition old = null;
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType())) {
                    old = c;
                }
            }
        }
        String currentNomination = pod.getStatus() == null || pod.getStatus().getNominatedNodeName() == null ? ""
                : pod.getStatus().getNominatedNodeName();
        boolean sameCondition = old != null && "False".equals(old.getStatus()) && reason.equals(old.getReason())
                && message.equals(old.getMessage());
        boolean sameNomination = nominatedNode.isEmpty() || nominatedNode.equals(currentNomination);
        if (sameCondition && sameNomination) {
            return;
        }
        ObjectNode patch = mapper.createObjectNode();
        ObjectNode status = patch.putObject("status");
        ObjectNode condition = status.putArray("conditions").addObject();
        condition.put("type", "PodScheduled");
        condition.put("status", "False");
        condition.putNull("lastProbeTime");
        condition.put("lastTransitionTime", old != null && "False".equals(old.getStatus())
                && old.getLastTransitionTime() != null ? old.getLastTransitionTime()
                : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        condition.put("reason", reason);
        condition.put("message", message);
        if (!nominatedNode.isEmpty()) {
            status.put("nominatedNodeName", nominatedNode);
        }
        try {
            writer.patchStatus(pod, patch.toString());
        } catch (KubernetesClientException e) {
            log.debug("cannot update the status of pod={}: {}", pod.getMetadata().getName(), e.getMessage());
        }
    }
}
