package dev.konductor.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A label selector: the AND of its requirements. Made from the string form used in
 * {@code ?labelSelector=} ({@link #parse}), from the structured {@code metav1.LabelSelector}
 * in object specs ({@link #fromStructured}) or from a plain map as in Service and
 * ReplicationController selectors ({@link #fromSet}).
 *
 * <p>Two special values, as upstream: the empty selector matches everything, and
 * {@link #nothing()} (what a missing structured selector means) matches nothing.
 */
public final class LabelSelector {

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<LabelRequirement> requirements;
    private final boolean matchesNothing;

    private LabelSelector(List<LabelRequirement> requirements, boolean matchesNothing) {
        this.requirements = List.copyOf(requirements);
        this.matchesNothing = matchesNothing;
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public static LabelSelector nothing() {
        return NOTHING;
    }

    /**
     * Parses the string form.
     *
     * @throws SelectorParseException with upstream's message, e.g.
     *                                {@code unable to parse requirement: found '', expected: identifier}
     */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        return new LabelSelector(LabelSelectorParser.parse(selector), false);
    }

    /** A selector requiring every entry of {@code labels} (no validation, as upstream's SelectorFromSet). */
    public static LabelSelector fromSet(Map<String, String> labels) {
        List<LabelRequirement> reqs = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> reqs.add(new LabelRequirement(k, SelectorOperator.EQUALS, List.of(v))));
        return new LabelSelector(reqs, false);
    }

    /**
     * Converts a structured selector ({@code matchLabels} + {@code matchExpressions}), as upstream's
     * {@code LabelSelectorAsSelector}: null or missing selects nothing, {@code {}} everything.
     *
     * @throws SelectorParseException when a key, value or operator is invalid
     */
    public static LabelSelector fromStructured(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return NOTHING;
        }
        List<LabelRequirement> reqs = new ArrayList<>();
        ObjectTree.stringMap(selector, "matchLabels")
                .forEach((k, v) -> reqs.add(LabelRequirement.of(k, SelectorOperator.EQUALS, List.of(v))));
        for (JsonNode expr : ObjectTree.objects(selector, "matchExpressions")) {
            String operator = ObjectTree.textOrEmpty(expr, "operator");
            SelectorOperator op = switch (operator) {
                case "In" -> SelectorOperator.IN;
                case "NotIn" -> SelectorOperator.NOT_IN;
                case "Exists" -> SelectorOperator.EXISTS;
                case "DoesNotExist" -> SelectorOperator.DOES_NOT_EXIST;
                default -> throw new SelectorParseException(GoErrorText.quote(operator)
                        + " is not a valid label selector operator");
            };
            reqs.add(LabelRequirement.of(ObjectTree.textOrEmpty(expr, "key"), op, ObjectTree.strings(expr, "values")));
        }
        reqs.sort(Comparator.comparing(LabelRequirement::key));
        return new LabelSelector(reqs, false);
    }

    public boolean matches(Map<String, String> labels) {
        if (matchesNothing) {
            return false;
        }
        for (LabelRequirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Whether this selector places no restriction (matches everything). */
    public boolean isEmpty() {
        return !matchesNothing && requirements.isEmpty();
    }

    public boolean matchesNothing() {
        return matchesNothing;
    }

    public List<LabelRequirement> requirements() {
        return requirements;
    }

    /**
     * The single value {@code key} must have, when the selector pins it ({@code key=v}, {@code key==v}
     * or {@code key in (v)}); lets a watch cache use an index instead of scanning.
     */
    public Optional<String> requiresExactMatch(String key) {
        for (LabelRequirement r : requirements) {
            if (r.key().equals(key)) {
                boolean exact = r.operator() == SelectorOperator.EQUALS || r.operator() == SelectorOperator.DOUBLE_EQUALS
                        || r.operator() == SelectorOperator.IN;
                return exact && r.values().size() == 1 ? Optional.of(r.values().get(0)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Upstream's canonical string form, requirements sorted by key: {@code app=web,tier in (a,b)}. */
    @Override
    public String toString() {
        return String.join(",", requirements.stream().map(LabelRequirement::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && other.matchesNothing == matchesNothing
                && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode() * 31 + Boolean.hashCode(matchesNothing);
    }
}
