package dev.konductor.scheduler.framework;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The cluster as one scheduling cycle sees it: every node (with a Node object) and the pods on
 * it, plus namespace labels for affinity terms with namespace selectors. Plugins read it; the
 * cycle never changes it (preemption works on copies of its NodeInfos).
 */
public final class Snapshot {

    private final NodeInfo[] nodes;
    private final List<NodeInfo> nodeList;
    /** Where each node sits in {@link #nodes}; shared by the snapshots derived with {@link #withReplaced}. */
    private final Map<String, Integer> positions;
    private final List<NodeInfo> withAffinity;
    private final List<NodeInfo> withRequiredAntiAffinity;
    private final Function<String, Map<String, String>> namespaceLabels;

    public Snapshot(List<NodeInfo> nodes, Function<String, Map<String, String>> namespaceLabels) {
        this.nodes = nodes.toArray(NodeInfo[]::new);
        this.nodeList = Collections.unmodifiableList(Arrays.asList(this.nodes));
        this.positions = new HashMap<>();
        for (int i = 0; i < this.nodes.length; i++) {
            positions.put(this.nodes[i].name(), i);
        }
        this.withAffinity = withPods(this.nodes, false);
        this.withRequiredAntiAffinity = withPods(this.nodes, true);
        this.namespaceLabels = namespaceLabels;
    }

    private Snapshot(NodeInfo[] nodes, Map<String, Integer> positions, List<NodeInfo> withAffinity,
                     List<NodeInfo> withRequiredAntiAffinity, Function<String, Map<String, String>> namespaceLabels) {
        this.nodes = nodes;
        this.nodeList = Collections.unmodifiableList(Arrays.asList(nodes));
        this.positions = positions;
        this.withAffinity = withAffinity;
        this.withRequiredAntiAffinity = withRequiredAntiAffinity;
        this.namespaceLabels = namespaceLabels;
    }

    /** A snapshot of {@code nodes} with no namespace labels (tests). */
    public static Snapshot of(NodeInfo... nodes) {
        return new Snapshot(List.of(nodes), ns -> Map.of());
    }

    /**
     * This snapshot with some nodes' infos replaced by newer ones, in the same order: what a cycle
     * needs after the previous one placed a pod, at the cost of one array copy rather than a sort
     * and a map over every node. Every replacement must name a node of this snapshot.
     */
    public Snapshot withReplaced(List<NodeInfo> replacements) {
        NodeInfo[] next = nodes.clone();
        boolean affinityChanged = false;
        for (NodeInfo replacement : replacements) {
            Integer position = positions.get(replacement.name());
            if (position == null) {
                throw new IllegalArgumentException("node " + replacement.name() + " is not in the snapshot");
            }
            affinityChanged |= hasAffinityPods(next[position]) || hasAffinityPods(replacement);
            next[position] = replacement;
        }
        return affinityChanged
                ? new Snapshot(next, positions, withPods(next, false), withPods(next, true), namespaceLabels)
                : new Snapshot(next, positions, withAffinity, withRequiredAntiAffinity, namespaceLabels);
    }

    private static boolean hasAffinityPods(NodeInfo node) {
        return !node.podsWithAffinity().isEmpty() || !node.podsWithRequiredAntiAffinity().isEmpty();
    }

    private static List<NodeInfo> withPods(NodeInfo[] nodes, boolean requiredAntiAffinity) {
        List<NodeInfo> out = new ArrayList<>();
        for (NodeInfo n : nodes) {
            if (!(requiredAntiAffinity ? n.podsWithRequiredAntiAffinity() : n.podsWithAffinity()).isEmpty()) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    public List<NodeInfo> nodes() {
        return nodeList;
    }

    public NodeInfo get(String name) {
        Integer position = positions.get(name);
        return position == null ? null : nodes[position];
    }

    public int size() {
        return nodes.length;
    }

    public List<NodeInfo> nodesWithPodsWithAffinity() {
        return withAffinity;
    }

    public List<NodeInfo> nodesWithPodsWithRequiredAntiAffinity() {
        return withRequiredAntiAffinity;
    }

    /** The labels of namespace {@code name} (empty if unknown). */
    public Map<String, String> namespaceLabels(String name) {
        Map<String, String> labels = namespaceLabels.apply(name);
        return labels == null ? Map.of() : labels;
    }
}
