package dev.konductor.api.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One clause of a label selector: {@code key operator values}. Built only through
 * {@link #of(String, SelectorOperator, List)}, which checks the clause as upstream's
 * {@code labels.NewRequirement} does.
 */
public record LabelRequirement(String key, SelectorOperator operator, List<String> values) {

    public LabelRequirement {
        values = List.copyOf(values);
    }

    /**
     * A checked requirement.
     *
     * @throws SelectorParseException with upstream's aggregated message when the key, the operator's
     *                                arity or a value is invalid
     */
    public static LabelRequirement of(String key, SelectorOperator op, List<String> values) {
        List<String> errs = new ArrayList<>();
        List<String> keyErrs = IdentifierSyntax.qualifiedName(key);
        if (!keyErrs.isEmpty()) {
            errs.add(GoErrorText.invalid("key", key, String.join("; ", keyErrs)));
        }
        switch (op) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    errs.add(GoErrorText.invalid("values", values, "for 'in', 'notin' operators, values set can't be empty"));
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    errs.add(GoErrorText.invalid("values", values, "exact-match compatibility requires one single value"));
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errs.add(GoErrorText.invalid("values", values, "values set must be empty for exists and does not exist"));
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    errs.add(GoErrorText.invalid("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (int i = 0; i < values.size(); i++) {
                    if (parseLong(values.get(i)) == null) {
                        errs.add(GoErrorText.invalid("values[" + i + "]", values.get(i),
                                "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> valueErrs = IdentifierSyntax.labelValue(values.get(i));
            if (!valueErrs.isEmpty()) {
                errs.add(GoErrorText.invalid("values[" + i + "][" + key + "]", values.get(i), String.join("; ", valueErrs)));
            }
        }
        if (!errs.isEmpty()) {
            throw new SelectorParseException(GoErrorText.aggregate(errs));
        }
        return new LabelRequirement(key, op, values);
    }

    public boolean matches(Map<String, String> labels) {
        String value = labels.get(key);
        return switch (operator) {
            case IN, EQUALS, DOUBLE_EQUALS -> value != null && values.contains(value);
            case NOT_IN, NOT_EQUALS -> value == null || !values.contains(value);
            case EXISTS -> labels.containsKey(key);
            case DOES_NOT_EXIST -> !labels.containsKey(key);
            case GREATER_THAN, LESS_THAN -> {
                Long actual = value == null ? null : parseLong(value);
                Long bound = values.size() == 1 ? parseLong(values.get(0)) : null;
                if (actual == null || bound == null) {
                    yield false;
                }
                yield operator == SelectorOperator.GREATER_THAN ? actual > bound : actual < bound;
            }
        };
    }

    /** Upstream's string form: {@code a=b}, {@code a in (x,y)}, {@code !a}, {@code a>3}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (operator == SelectorOperator.DOES_NOT_EXIST) {
            s.append('!');
        }
        s.append(key);
        switch (operator) {
            case EXISTS, DOES_NOT_EXIST -> {
                return s.toString();
            }
            case IN -> s.append(" in (");
            case NOT_IN -> s.append(" notin (");
            case GREATER_THAN -> s.append('>');
            case LESS_THAN -> s.append('<');
            default -> s.append(operator.symbol());
        }
        s.append(String.join(",", values.stream().sorted().toList()));
        if (operator == SelectorOperator.IN || operator == SelectorOperator.NOT_IN) {
            s.append(')');
        }
        return s.toString();
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
