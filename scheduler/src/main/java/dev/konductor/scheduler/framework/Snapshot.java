package dev.konductor.scheduler.framework;

import java.util.ArrayList;
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

    private final List<NodeInfo> nodes;
    private final Map<String, NodeInfo> byName;
    private final List<NodeInfo> withAffinity;
    private final List<NodeInfo> withRequiredAntiAffinity;
    private final Function<String, Map<String, String>> namespaceLabels;

    public Snapshot(List<NodeInfo> nodes, Function<String, Map<String, String>> namespaceLabels) {
        this.nodes = List.copyOf(nodes);
        this.byName = new HashMap<>();
        List<NodeInfo> affinity = new ArrayList<>();
        List<NodeInfo> antiAffinity = new ArrayList<>();
        for (NodeInfo n : this.nodes) {
            byName.put(n.name(), n);
            if (!n.podsWithAffinity().isEmpty()) {
                affinity.add(n);
            }
            if (!n.podsWithRequiredAntiAffinity().isEmpty()) {
                antiAffinity.add(n);
            }
        }
        this.withAffinity = List.copyOf(affinity);
        this.withRequiredAntiAffinity = List.copyOf(antiAffinity);
        this.namespaceLabels = namespaceLabels;
    }

    /** A snapshot of {@code nodes} with no namespace labels (tests). */
    public static Snapshot of(NodeInfo... nodes) {
        return new Snapshot(List.of(nodes), ns -> Map.of());
    }

    public List<NodeInfo> nodes() {
        return nodes;
    }

    public NodeInfo get(String name) {
        return byName.get(name);
    }

    public int size() {
        return nodes.size();
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
