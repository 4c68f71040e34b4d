package dev.konductor.scheduler.framework;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled label selector. As upstream's {@code LabelSelectorAsSelector}: a missing selector
 * matches nothing, an empty one everything.
 */
public interface LabelMatcher {

    LabelMatcher NOTHING = labels -> false;
    LabelMatcher EVERYTHING = labels -> true;

    boolean matches(Map<String, String> labels);

    /** The selector {@code s}, or {@link #NOTHING} for null. An invalid operator matches nothing. */
    static LabelMatcher of(LabelSelector s) {
        if (s == null) {
            return NOTHING;
        }
        List<LabelMatcher> parts = new ArrayList<>();
        if (s.getMatchLabels() != null) {
            s.getMatchLabels().forEach((k, v) -> parts.add(labels -> v.equals(labels.get(k))));
        }
        if (s.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                parts.add(requirement(r.getKey(), r.getOperator(), r.getValues()));
            }
        }
        return all(parts);
    }

    /** Every label in {@code set} with the same value (a Service's or RC's selector). */
    static LabelMatcher ofSet(Map<String, String> set) {
        if (set == null) {
            return NOTHING;
        }
        Map<String, String> copy = Map.copyOf(set);
        return labels -> {
            for (Map.Entry<String, String> e : copy.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        };
    }

    static LabelMatcher all(List<LabelMatcher> parts) {
        if (parts.isEmpty()) {
            return EVERYTHING;
        }
        List<LabelMatcher> copy = List.copyOf(parts);
        return labels -> {
            for (LabelMatcher m : copy) {
                if (!m.matches(labels)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** One {@code key op values} requirement of a label selector (In, NotIn, Exists, DoesNotExist). */
    static LabelMatcher requirement(String key, String operator, List<String> values) {
        Set<String> set = values == null ? Set.of() : new HashSet<>(values);
        return switch (operator == null ? "" : operator) {
            case "In" -> labels -> labels.containsKey(key) && set.contains(labels.get(key));
            case "NotIn" -> labels -> !labels.containsKey(key) || !set.contains(labels.get(key));
            case "Exists" -> labels -> labels.containsKey(key);
            case "DoesNotExist" -> labels -> !labels.containsKey(key);
            default -> NOTHING;
        };
    }
}
