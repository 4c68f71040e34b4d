package dev.konductor.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node with the pods on it (bound or assumed) and their totals: requested resources, the
 * non-zero requests used for scoring, host ports in use, and the pods with affinity terms.
 * Mutable; the scheduler cache owns the live ones and hands out {@link #copy()}s in snapshots.
 */
public final class NodeInfo {

    private static final AtomicLong GENERATIONS = new AtomicLong();

    private Node node;
    private final List<PodInfo> pods;
    private final List<PodInfo> podsWithAffinity;
    private final List<PodInfo> podsWithRequiredAntiAffinity;
    private final Resources requested;
    private final Resources nonZeroRequested;
    private Resources allocatable;
    private final Map<HostPort, Integer> usedPorts;
    private long generation;

    public NodeInfo(Node node) {
        this.node = node;
        this.pods = new ArrayList<>();
        this.podsWithAffinity = new ArrayList<>();
        this.podsWithRequiredAntiAffinity = new ArrayList<>();
        this.requested = new Resources();
        this.nonZeroRequested = new Resources();
        this.allocatable = allocatableOf(node);
        this.usedPorts = new HashMap<>();
        this.generation = GENERATIONS.incrementAndGet();
    }

    private NodeInfo(NodeInfo other) {
        this.node = other.node;
        this.pods = new ArrayList<>(other.pods);
        this.podsWithAffinity = new ArrayList<>(other.podsWithAffinity);
        this.podsWithRequiredAntiAffinity = new ArrayList<>(other.podsWithRequiredAntiAffinity);
        this.requested = other.requested.copy();
        this.nonZeroRequested = other.nonZeroRequested.copy();
        this.allocatable = other.allocatable;
        this.usedPorts = new HashMap<>(other.usedPorts);
        this.generation = other.generation;
    }

    /** A node with {@code pods} on it (tests and snapshots built by hand). */
    public static NodeInfo of(Node node, PodInfo... pods) {
        NodeInfo info = new NodeInfo(node);
        for (PodInfo p : pods) {
            info.addPod(p);
        }
        return info;
    }

    public NodeInfo copy() {
        return new NodeInfo(this);
    }

    /** Null while the cache knows pods bound to a node it has not seen yet. */
    public Node node() {
        return node;
    }

    public String name() {
        return node == null ? "" : node.getMetadata().getName();
    }

    /** The node's taints (none when it has no spec). */
    public static java.util.List<io.fabric8.kubernetes.api.model.Taint> taints(Node node) {
        if (node == null || node.getSpec() == null || node.getSpec().getTaints() == null) {
            return java.util.List.of();
        }
        return node.getSpec().getTaints();
    }

    /** Whether the node is cordoned (spec.unschedulable). */
    public static boolean unschedulable(Node node) {
        return node != null && node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }

    public void setNode(Node node) {
        this.node = node;
        this.allocatable = allocatableOf(node);
        touch();
    }

    public List<PodInfo> pods() {
        return java.util.Collections.unmodifiableList(pods);
    }

    public List<PodInfo> podsWithAffinity() {
        return java.util.Collections.unmodifiableList(podsWithAffinity);
    }

    public List<PodInfo> podsWithRequiredAntiAffinity() {
        return java.util.Collections.unmodifiableList(podsWithRequiredAntiAffinity);
    }

    /** The sum of the pods' requests. Do not modify. */
    public Resources requested() {
        return requested;
    }

    /** The sum of the pods' non-zero requests (for scoring). Do not modify. */
    public Resources nonZeroRequested() {
        return nonZeroRequested;
    }

    /** status.allocatable. Do not modify. */
    public Resources allocatable() {
        return allocatable;
    }

    public boolean portInUse(HostPort wanted) {
        for (HostPort used : usedPorts.keySet()) {
            if (used.conflicts(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Bumped on every change; snapshots re-copy a node only when its generation moved. */
    public long generation() {
        return generation;
    }

    public void addPod(PodInfo pod) {
        pods.add(pod);
        if (pod.hasAffinity()) {
            podsWithAffinity.add(pod);
        }
        if (!pod.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity.add(pod);
        }
        requested.add(pod.requests());
        nonZeroRequested.add(pod.nonZeroRequests());
        for (HostPort port : pod.hostPorts()) {
            usedPorts.merge(port, 1, Integer::sum);
        }
        touch();
    }

    /** Removes the pod with {@code pod}'s uid; false if it is not on this node. */
    public boolean removePod(PodInfo pod) {
        PodInfo existing = null;
        for (int i = 0; i < pods.size(); i++) {
            if (pods.get(i).uid().equals(pod.uid())) {
                existing = pods.remove(i);
                break;
            }
        }
        if (existing == null) {
            return false;
        }
        String uid = existing.uid();
        podsWithAffinity.removeIf(p -> p.uid().equals(uid));
        podsWithRequiredAntiAffinity.removeIf(p -> p.uid().equals(uid));
        requested.subtract(existing.requests());
        nonZeroRequested.subtract(existing.nonZeroRequests());
        for (HostPort port : existing.hostPorts()) {
            usedPorts.computeIfPresent(port, (p, n) -> n <= 1 ? null : n - 1);
        }
        touch();
        return true;
    }

    private void touch() {
        generation = GENERATIONS.incrementAndGet();
    }

    private static Resources allocatableOf(Node node) {
        if (node == null || node.getStatus() == null) {
            return new Resources();
        }
        return Resources.of(node.getStatus().getAllocatable());
    }

    @Override
    public String toString() {
        return "NodeInfo{" + name() + ", pods=" + pods + "}";
    }
}
