package dev.konductor.scheduler.framework;

import java.util.Set;

/**
 * No node can run the pod. {@link #message()} is upstream's text for the FailedScheduling
 * event and the PodScheduled condition: {@code 0/N nodes are available: <prefilter>.} or
 * {@code 0/N nodes are available: <histogram>.}, followed by the PostFilter (preemption) message.
 *
 * @param unschedulablePlugins the plugins that rejected the pod (decides which cluster events retry it)
 */
public record FitError(int allNodes, String preFilterMessage, NodeStatuses statuses, String postFilterMessage,
                       Set<String> unschedulablePlugins) {

    public FitError withPostFilterMessage(String message) {
        return new FitError(allNodes, preFilterMessage, statuses, message, unschedulablePlugins);
    }

    public String message() {
        StringBuilder msg = new StringBuilder("0/").append(allNodes).append(" nodes are available:");
        if (!preFilterMessage.isEmpty()) {
            msg.append(' ').append(preFilterMessage).append('.');
        } else {
            String histogram = statuses.histogram(allNodes);
            if (!histogram.isEmpty()) {
                msg.append(' ').append(histogram).append('.');
            }
        }
        if (!postFilterMessage.isEmpty()) {
            msg.append(' ').append(postFilterMessage);
        }
        return msg.toString();
    }
}
