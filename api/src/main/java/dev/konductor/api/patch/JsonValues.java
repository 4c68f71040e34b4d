package dev.konductor.api.patch;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.json.SharedJsonBuffers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Value semantics for JSON trees as the patch engines need them. Jackson's own {@code equals}
 * tells {@code IntNode(1)} from {@code LongNode(1)}; a decoded request and a stored object must
 * not differ for that, so numbers compare by value here.
 */
final class JsonValues {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Thread-safe once built; used only to parse and print path elements. */
    static final JsonMapper MAPPER = SharedJsonBuffers.in(JsonMapper.builder().build());

    private JsonValues() {
    }

    static boolean equal(JsonNode a, JsonNode b) {
        return compare(a, b) == 0;
    }

    /**
     * A total order in structured-merge-diff's spirit: numbers (compared numerically), then
     * strings, booleans, arrays, objects and finally null.
     */
    static int compare(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (ra) {
            case 0 -> compareNumbers(a, b);
            case 1 -> a.textValue().compareTo(b.textValue());
            case 2 -> Boolean.compare(a.booleanValue(), b.booleanValue());
            case 3 -> compareArrays(a, b);
            case 4 -> compareObjects(a, b);
            default -> 0;
        };
    }

    private static int rank(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return 5;
        }
        if (n.isNumber()) {
            return 0;
        }
        if (n.isTextual()) {
            return 1;
        }
        if (n.isBoolean()) {
            return 2;
        }
        return n.isArray() ? 3 : n.isObject() ? 4 : 1;
    }

    private static int compareNumbers(JsonNode a, JsonNode b) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            return a.bigIntegerValue().compareTo(b.bigIntegerValue());
        }
        return a.decimalValue().compareTo(b.decimalValue());
    }

    private static int compareArrays(JsonNode a, JsonNode b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Objects compare as their key-sorted entry lists, as structured-merge-diff does. */
    private static int compareObjects(JsonNode a, JsonNode b) {
        Iterator<String> ka = new TreeSet<>(fieldNames(a)).iterator();
        Iterator<String> kb = new TreeSet<>(fieldNames(b)).iterator();
        while (ka.hasNext() && kb.hasNext()) {
            String x = ka.next();
            String y = kb.next();
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
            c = compare(a.get(x), b.get(y));
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ka.hasNext(), kb.hasNext());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * A copy with every number in one representation (integral as long, else double), so that
     * records holding values get {@code equals} and {@code hashCode} that agree with {@link #equal}.
     */
    static JsonNode canonical(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return NODES.nullNode();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return NODES.numberNode(n.longValue());
        }
        if (n.isNumber() && !n.isIntegralNumber()) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? NODES.numberNode((long) d) : NODES.numberNode(d);
        }
        if (n.isArray()) {
            ArrayNode out = NODES.arrayNode();
            n.forEach(e -> out.add(canonical(e)));
            return out;
        }
        if (n.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                out.set(e.getKey(), canonical(e.getValue()));
            }
            return out;
        }
        return n.deepCopy();
    }

    /**
     * Appends the compact JSON of {@code n}, as {@code n.toString()} would write it, without a
     * JSON generator for the scalars that fieldsV1 keys are made of (names, ports, protocols).
     */
    static StringBuilder appendCompact(StringBuilder out, JsonNode n) {
        if (n.isTextual()) {
            out.append('"');
            JsonStringEncoder.getInstance().quoteAsString(n.textValue(), out);
            return out.append('"');
        }
        if (n.isIntegralNumber() || n.isBoolean() || n.isNull()) {
            return out.append(n.asText());
        }
        return out.append(n);
    }

    /** Renders a value as structured-merge-diff does in conflict paths: strings quoted, others as JSON. */
    static String render(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            return '"' + n.textValue().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return n.toString();
    }
}
