package dev.konductor.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Node affinity matching: a term's expressions and fields are ANDed, terms are ORed, and a term
 * with neither matches no node (as upstream's component-helpers).
 */
public final class NodeSelectorTerms {

    private NodeSelectorTerms() {
    }

    /** Whether any of {@code terms} matches {@code node}; false for no terms. */
    public static boolean anyMatches(List<NodeSelectorTerm> terms, Node node) {
        if (terms == null) {
            return false;
        }
        for (NodeSelectorTerm term : terms) {
            if (matches(term, node)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(NodeSelectorTerm term, Node node) {
        if (term == null) {
            return false;
        }
        List<NodeSelectorRequirement> expressions = term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields();
        boolean noExpressions = expressions == null || expressions.isEmpty();
        boolean noFields = fields == null || fields.isEmpty();
        if (noExpressions && noFields) {
            return false;
        }
        Map<String, String> labels = labels(node);
        if (!noExpressions) {
            for (NodeSelectorRequirement r : expressions) {
                if (!labelRequirement(r, labels)) {
                    return false;
                }
            }
        }
        if (!noFields) {
            for (NodeSelectorRequirement r : fields) {
                if (!fieldRequirement(r, node)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean labelRequirement(NodeSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator() == null ? "" : r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> {
                if (value == null || values.size() != 1) {
                    yield false;
                }
                try {
                    long have = Long.parseLong(value);
                    long want = Long.parseLong(values.get(0));
                    yield r.getOperator().equals("Gt") ? have > want : have < want;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }

    /** matchFields: only {@code metadata.name} with In or NotIn is meaningful. */
    static boolean fieldRequirement(NodeSelectorRequirement r, Node node) {
        if (!"metadata.name".equals(r.getKey())) {
            return false;
        }
        Set<String> values = r.getValues() == null ? Set.of() : new HashSet<>(r.getValues());
        String name = node.getMetadata().getName();
        return switch (r.getOperator() == null ? "" : r.getOperator()) {
            case "In" -> values.contains(name);
            case "NotIn" -> !values.contains(name);
            default -> false;
        };
    }

    public static Map<String, String> labels(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }
}
