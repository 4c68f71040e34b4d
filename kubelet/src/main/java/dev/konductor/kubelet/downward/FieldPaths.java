package dev.konductor.kubelet.downward;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod metadata the downward API exposes, formatted as upstream's fieldpath package does:
 * {@code metadata.name}, {@code .namespace}, {@code .uid}, one label or annotation
 * ({@code metadata.labels['app']}, empty when absent) or all of them, one {@code key="value"}
 * line each (Go quoting), sorted by key. Pure.
 */
public final class FieldPaths {

    private FieldPaths() {
    }

    /** The value of {@code fieldPath}; IllegalArgumentException with upstream's message when it is not supported. */
    public static String extract(ObjectMeta meta, String fieldPath) {
        int open = fieldPath.indexOf("['");
        if (fieldPath.endsWith("']") && open > 0) {
            String path = fieldPath.substring(0, open);
            String key = fieldPath.substring(open + 2, fieldPath.length() - 2);
            return switch (path) {
                case "metadata.annotations" -> orEmpty(meta.getAnnotations()).getOrDefault(key, "");
                case "metadata.labels" -> orEmpty(meta.getLabels()).getOrDefault(key, "");
                default -> throw new IllegalArgumentException("fieldPath \"" + fieldPath + "\" does not support subscript");
            };
        }
        return switch (fieldPath) {
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.name" -> nullToEmpty(meta.getName());
            case "metadata.namespace" -> nullToEmpty(meta.getNamespace());
            case "metadata.uid" -> nullToEmpty(meta.getUid());
            default -> throw new IllegalArgumentException("unsupported fieldPath: " + fieldPath);
        };
    }

    /** {@code k="v"} lines sorted by key, no trailing newline (upstream's FormatMap). */
    static String formatMap(Map<String, String> map) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> entry : new TreeMap<>(orEmpty(map)).entrySet()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(entry.getKey()).append('=').append(goQuote(entry.getValue()));
        }
        return out.toString();
    }

    /** Go's strconv.Quote: printable characters as they are, the rest escaped. */
    static String goQuote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 11 -> out.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        out.append(String.format("\\x%02x", cp));
                    } else if (Character.isISOControl(cp) || !Character.isDefined(cp) || Character.getType(cp) == Character.FORMAT) {
                        out.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
