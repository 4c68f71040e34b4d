package dev.konductor.scheduler.framework;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why each node was rejected in one cycle, with a status for the nodes not listed (those a
 * PreFilter ruled out at once). Renders upstream's FitError message:
 * {@code 0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.}
 */
public final class NodeStatuses {

    private final Map<String, Status> byNode = new LinkedHashMap<>();
    private Status absent = Status.unresolvable();

    public void put(String node, Status status) {
        byNode.put(node, status);
    }

    public Status get(String node) {
        return byNode.getOrDefault(node, absent);
    }

    public Map<String, Status> explicit() {
        return byNode;
    }

    public void setAbsent(Status status) {
        this.absent = status;
    }

    public Status absent() {
        return absent;
    }

    public int size() {
        return byNode.size();
    }

    /**
     * The reasons histogram, e.g. {@code 1 node(s) were unschedulable, 2 Insufficient cpu}:
     * each reason with the number of nodes giving it, sorted as strings (as upstream does).
     */
    public String histogram(int allNodes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Status s : byNode.values()) {
            if (s instanceof Status.Rejected r) {
                r.reasons().forEach(reason -> counts.merge(reason, 1, Integer::sum));
            } else if (s instanceof Status.Error e) {
                counts.merge(e.message(), 1, Integer::sum);
            }
        }
        if (byNode.size() < allNodes && absent instanceof Status.Rejected r) {
            for (String reason : r.reasons()) {
                counts.merge(reason, allNodes - byNode.size(), Integer::sum);
            }
        }
        TreeMap<String, Boolean> sorted = new TreeMap<>();
        counts.forEach((reason, n) -> sorted.put(n + " " + reason, true));
        return String.join(", ", sorted.keySet());
    }
}
