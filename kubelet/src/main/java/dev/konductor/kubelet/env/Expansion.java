package dev.konductor.kubelet.env;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Kubernetes' {@code $(VAR)} syntax, as the kubelet expands it in env values, command, args and
 * subPathExpr: {@code $(NAME)} is replaced by the mapping's value; {@code $$} is a literal
 * {@code $}; any other {@code $} (a lone one, {@code $x}, an unterminated {@code $(}) is kept as
 * written. A mapping from {@link #mappingFor} leaves a reference it cannot resolve as written,
 * so {@code $(UNKNOWN)} stays {@code $(UNKNOWN)}. Pure.
 */
public final class Expansion {

    private Expansion() {
    }

    public static String expand(String input, UnaryOperator<String> mapping) {
        StringBuilder out = new StringBuilder(input.length());
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            int consumed = 1;
            if (next == '$') {
                out.append('$');
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$("); // unterminated: kept, and scanning goes on after the '('
                } else {
                    out.append(mapping.apply(input.substring(cursor + 2, close)));
                    consumed = close - cursor;
                }
            } else {
                out.append('$').append(next);
            }
            cursor += consumed;
            checkpoint = cursor + 1;
        }
        return out.append(input, checkpoint, input.length()).toString();
    }

    /** Looks a name up in each map in turn; an unknown name maps to its own reference, {@code $(NAME)}. */
    @SafeVarargs
    public static UnaryOperator<String> mappingFor(Map<String, String>... contexts) {
        List<Map<String, String>> maps = List.of(contexts);
        return name -> {
            for (Map<String, String> map : maps) {
                String value = map.get(name);
                if (value != null) {
                    return value;
                }
            }
            return "$(" + name + ")";
        };
    }
}
