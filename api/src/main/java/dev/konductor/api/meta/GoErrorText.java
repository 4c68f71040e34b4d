package dev.konductor.api.meta;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders error text the way upstream's Go code prints it, where clients see it verbatim:
 * {@code field.Error.Error()} ({@code <path>: Invalid value: "x": detail}), Go's {@code %#v} of the
 * few value shapes validation reports ({@code []string{"a"}}, {@code map[string]string{"k":"v"}}),
 * and aggregated error lists ({@code [a, b]}).
 */
public final class GoErrorText {

    private GoErrorText() {
    }

    /** {@code field.Invalid(path, value, detail).Error()}; a null path prints as {@code <nil>}. */
    public static String invalid(String path, Object value, String detail) {
        return (path == null ? "<nil>" : path) + ": Invalid value: " + goValue(value) + ": " + detail;
    }

    /** Go's {@code %#v}/{@code %q} rendering of strings, string slices and string maps; others via toString. */
    public static String goValue(Object value) {
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(v -> items.add(quote(String.valueOf(v))));
            return "[]string{" + String.join(", ", items) + "}";
        }
        if (value instanceof Map<?, ?> map) {
            return stringMap(map);
        }
        return String.valueOf(value);
    }

    /** {@code map[string]string{"a":"b", "c":"d"}}: Go prints map keys sorted. */
    public static String stringMap(Map<?, ?> map) {
        Map<String, String> sorted = new TreeMap<>();
        map.forEach((k, v) -> sorted.put(String.valueOf(k), String.valueOf(v)));
        List<String> entries = new ArrayList<>();
        sorted.forEach((k, v) -> entries.add(quote(k) + ":" + quote(v)));
        return "map[string]string{" + String.join(", ", entries) + "}";
    }

    /** Go's {@code %q}: double quotes, with backslash escapes for quotes, backslashes and controls. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** {@code utilerrors.NewAggregate(errs).Error()}: one message alone, several deduplicated in brackets. */
    public static String aggregate(List<String> messages) {
        Set<String> unique = new LinkedHashSet<>(messages);
        if (unique.size() == 1) {
            return unique.iterator().next();
        }
        return "[" + String.join(", ", unique) + "]";
    }
}
