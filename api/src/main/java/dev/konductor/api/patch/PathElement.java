package dev.konductor.api.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One step of a field path, in structured-merge-diff's four kinds. Serialized as the keys of a
 * {@code fieldsV1} object: {@code f:replicas}, {@code k:{"name":"web"}}, {@code v:"finalizer"},
 * {@code i:0}. Ordered as upstream orders them (fields, then keys, then values, then indexes), which
 * is the order keys appear in {@code fieldsV1}.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** A field of an object or a key of a map. */
    record Field(String name) implements PathElement {
    }

    /** An element of a map-list, named by its key fields (sorted by name). */
    record Key(List<KeyField> fields) implements PathElement {
        public Key {
            fields = fields.stream().sorted(Comparator.comparing(KeyField::name)).toList();
        }
    }

    /** One key field of a {@link Key}. */
    record KeyField(String name, JsonNode value) {
        public KeyField {
            value = JsonValues.canonical(value);
        }
    }

    /** An element of a set, named by its value. */
    record Value(JsonNode value) implements PathElement {
        public Value {
            value = JsonValues.canonical(value);
        }
    }

    /** An element of an atomic list, by position. */
    record Index(int index) implements PathElement {
    }

    /** The {@code fieldsV1} key for this element. */
    default String serialize() {
        return switch (this) {
            case Field f -> "f:" + f.name();
            case Key k -> {
                StringBuilder json = new StringBuilder("k:{");
                for (KeyField kf : k.fields()) {
                    if (json.length() > 3) {
                        json.append(',');
                    }
                    JsonValues.appendCompact(json, JsonValues.NODES.textNode(kf.name()));
                    json.append(':');
                    JsonValues.appendCompact(json, kf.value());
                }
                yield json.append('}').toString();
            }
            case Value v -> JsonValues.appendCompact(new StringBuilder("v:"), v.value()).toString();
            case Index i -> "i:" + i.index();
        };
    }

    /** Parses a {@code fieldsV1} key; throws IllegalArgumentException when it is not one. */
    static PathElement parse(String s) {
        if (s.length() < 2 || s.charAt(1) != ':') {
            throw new IllegalArgumentException("not a path element: " + s);
        }
        String body = s.substring(2);
        return switch (s.charAt(0)) {
            case 'f' -> new Field(body);
            case 'v' -> new Value(readJson(body));
            case 'i' -> new Index(Integer.parseInt(body));
            case 'k' -> {
                JsonNode o = readJson(body);
                if (!o.isObject()) {
                    throw new IllegalArgumentException("key is not an object: " + s);
                }
                List<KeyField> fields = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : o.properties()) {
                    fields.add(new KeyField(e.getKey(), e.getValue()));
                }
                yield new Key(fields);
            }
            default -> throw new IllegalArgumentException("unknown path element type: " + s);
        };
    }

    private static JsonNode readJson(String body) {
        try {
            return JsonValues.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON in path element: " + body, e);
        }
    }

    /** Upstream's human form, used in conflict messages: {@code .spec}, {@code [name="web"]}, {@code [="x"]}, {@code [0]}. */
    default String display() {
        return switch (this) {
            case Field f -> "." + f.name();
            case Key k -> "[" + String.join(",", k.fields().stream()
                    .map(kf -> kf.name() + "=" + JsonValues.render(kf.value())).toList()) + "]";
            case Value v -> "[=" + JsonValues.render(v.value()) + "]";
            case Index i -> "[" + i.index() + "]";
        };
    }

    /** A whole path in upstream's human form: {@code .spec.containers[name="web"].image}. */
    static String display(List<PathElement> path) {
        StringBuilder s = new StringBuilder();
        path.forEach(pe -> s.append(pe.display()));
        return s.toString();
    }

    @Override
    default int compareTo(PathElement o) {
        int c = Integer.compare(kindOrder(this), kindOrder(o));
        if (c != 0) {
            return c;
        }
        return switch (this) {
            case Field f -> f.name().compareTo(((Field) o).name());
            case Key k -> compareKeys(k.fields(), ((Key) o).fields());
            case Value v -> JsonValues.compare(v.value(), ((Value) o).value());
            case Index i -> Integer.compare(i.index(), ((Index) o).index());
        };
    }

    private static int kindOrder(PathElement pe) {
        return switch (pe) {
            case Field f -> 0;
            case Key k -> 1;
            case Value v -> 2;
            case Index i -> 3;
        };
    }

    private static int compareKeys(List<KeyField> a, List<KeyField> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).name().compareTo(b.get(i).name());
            if (c == 0) {
                c = JsonValues.compare(a.get(i).value(), b.get(i).value());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
