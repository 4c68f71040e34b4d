package dev.konductor.scheduler.cache;

import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The scheduler's view of nodes and the pods on them: bound pods as the informers report them,
 * plus <em>assumed</em> pods — placed by a scheduling cycle but not yet seen bound — so the next
 * cycle accounts for them before the watch event arrives. An assumed pod is confirmed when the
 * informer shows it bound, and forgotten if binding fails. Thread-safe.
 *
 * <p>Snapshots are incremental: the cache remembers which nodes changed since the previous
 * snapshot, and {@link #updateSnapshot} copies only those into it. Only when nodes come or go is
 * the snapshot built again over every node.
 */
public final class SchedulerCache {

    private record PodState(PodInfo pod, String node) {
    }

    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final Map<String, PodState> pods = new HashMap<>();
    private final Set<String> assumed = new HashSet<>();
    private final Function<String, Map<String, String>> namespaceLabels;
    private long structureVersion;
    /** Nodes whose info changed since the last snapshot. */
    private final Set<String> changedSinceSnapshot = new HashSet<>();

    private final Map<String, NodeInfo> snapshotCopies = new HashMap<>();
    private long snapshotStructureVersion = -1;
    private Snapshot snapshot;

    public SchedulerCache(Function<String, Map<String, String>> namespaceLabels) {
        this.namespaceLabels = namespaceLabels;
    }

    public synchronized void addNode(Node node) {
        String name = node.getMetadata().getName();
        NodeInfo info = nodes.get(name);
        changedSinceSnapshot.add(name);
        if (info == null) {
            nodes.put(name, new NodeInfo(node));
            structureVersion++;
        } else {
            boolean wasPlaceholder = info.node() == null;
            info.setNode(node);
            if (wasPlaceholder) {
                structureVersion++;
            }
        }
    }

    public synchronized void updateNode(Node node) {
        addNode(node);
    }

    public synchronized void removeNode(Node node) {
        String name = node.getMetadata().getName();
        NodeInfo info = nodes.get(name);
        if (info == null) {
            return;
        }
        changedSinceSnapshot.add(name);
        if (info.pods().isEmpty()) {
            nodes.remove(name);
        } else {
            // pods still bound to it keep a placeholder until they go
            info.setNode(null);
        }
        structureVersion++;
    }

    /** Places {@code pod} on {@code node} before binding; the next snapshot includes it. */
    public synchronized void assume(PodInfo pod, String node) {
        if (pods.containsKey(pod.uid())) {
            throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
        }
        addToNode(pod, node);
        assumed.add(pod.uid());
    }

    /** Binding failed: takes the assumed pod off its node again. */
    public synchronized void forget(PodInfo pod) {
        if (assumed.remove(pod.uid())) {
            PodState state = pods.get(pod.uid());
            if (state != null) {
                removeFromNode(state);
            }
        }
    }

    public synchronized boolean isAssumed(String uid) {
        return assumed.contains(uid);
    }

    /** A bound pod appeared (or an assumed one was confirmed by the informer). */
    public synchronized void addPod(PodInfo pod) {
        PodState current = pods.get(pod.uid());
        if (current != null) {
            assumed.remove(pod.uid());
            removeFromNode(current);
        }
        addToNode(pod, pod.nodeName());
    }

    public synchronized void updatePod(PodInfo pod) {
        addPod(pod);
    }

    public synchronized void removePod(String uid) {
        PodState current = pods.get(uid);
        assumed.remove(uid);
        if (current != null) {
            removeFromNode(current);
        }
    }

    public synchronized int podCount() {
        return pods.size();
    }

    public synchronized int assumedCount() {
        return assumed.size();
    }

    public synchronized int nodeCount() {
        return (int) nodes.values().stream().filter(n -> n.node() != null).count();
    }

    /**
     * The current state as a {@link Snapshot}: copies of the nodes that changed since the last
     * call, the previous copies of the rest, in name order.
     */
    public synchronized Snapshot updateSnapshot() {
        List<NodeInfo> replaced = new ArrayList<>();
        for (String name : changedSinceSnapshot) {
            NodeInfo live = nodes.get(name);
            NodeInfo copy = snapshotCopies.get(name);
            if (live != null && live.node() != null && (copy == null || copy.generation() != live.generation())) {
                NodeInfo fresh = live.copy();
                snapshotCopies.put(name, fresh);
                replaced.add(fresh);
            }
        }
        changedSinceSnapshot.clear();
        if (snapshot == null || snapshotStructureVersion != structureVersion) {
            snapshotCopies.keySet().removeIf(name -> !nodes.containsKey(name) || nodes.get(name).node() == null);
            List<NodeInfo> list = new ArrayList<>(snapshotCopies.values());
            list.sort(java.util.Comparator.comparing(NodeInfo::name));
            snapshot = new Snapshot(list, namespaceLabels);
            snapshotStructureVersion = structureVersion;
        } else if (!replaced.isEmpty()) {
            snapshot = snapshot.withReplaced(replaced);
        }
        return snapshot;
    }

    private void addToNode(PodInfo pod, String node) {
        NodeInfo info = nodes.get(node);
        if (info == null) {
            info = new NodeInfo(null);
            nodes.put(node, info);
            structureVersion++;
        }
        info.addPod(pod);
        changedSinceSnapshot.add(node);
        pods.put(pod.uid(), new PodState(pod, node));
    }

    private void removeFromNode(PodState state) {
        pods.remove(state.pod().uid());
        NodeInfo info = nodes.get(state.node());
        if (info == null) {
            return;
        }
        info.removePod(state.pod());
        changedSinceSnapshot.add(state.node());
        if (info.node() == null && info.pods().isEmpty()) {
            nodes.remove(state.node());
            structureVersion++;
        }
    }
}
