package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.schema.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * The questions the patch engines ask of a {@link Schema}. A null schema, or {@link Schema.AnyValue},
 * means the type is unknown: objects are then walked field by field and lists are atomic, which is
 * how structured-merge-diff treats untyped ("deduced") values.
 */
final class SchemaView {

    /** How server-side apply tracks a list (x-kubernetes-list-type). */
    enum ListKind { ATOMIC, SET, MAP }

    private SchemaView() {
    }

    static boolean isUnknown(Schema s) {
        return s == null || s instanceof Schema.AnyValue;
    }

    /** The schema of property {@code name} of an object or map, or null when unknown. */
    static Schema field(Schema parent, String name) {
        return switch (parent) {
            case Schema.ObjectType o -> {
                Schema.Property p = o.properties().get(name);
                yield p == null ? null : p.schema();
            }
            case Schema.MapType m -> m.values();
            case null, default -> null;
        };
    }

    /** Whether {@code name} is a declared property of a struct (as opposed to a map key or unknown field). */
    static boolean isDeclaredField(Schema parent, String name) {
        return parent instanceof Schema.ObjectType o && o.properties().containsKey(name);
    }

    static Schema items(Schema list) {
        return list instanceof Schema.ArrayType a ? a.items() : null;
    }

    /** Whether the value is walked key by key (a struct, a map, or an unknown object). */
    static boolean isGranularObject(Schema s, JsonNode value) {
        return value != null && value.isObject()
                && (isUnknown(s) || s instanceof Schema.ObjectType || s instanceof Schema.MapType);
    }

    /** Whether the value is a list walked element by element (a set or a map-list). */
    static boolean isGranularList(Schema s, JsonNode value) {
        return value != null && value.isArray() && listKind(s) != ListKind.ATOMIC;
    }

    /**
     * Lists with an explicit x-kubernetes-list-type keep it; built-in lists with the strategic
     * merge "merge" strategy become map-lists (keyed by the merge key) or sets, as upstream's
     * OpenAPI-to-SMD conversion does; all other lists are atomic.
     */
    static ListKind listKind(Schema s) {
        if (!(s instanceof Schema.ArrayType a)) {
            return ListKind.ATOMIC;
        }
        if (a.listType() != null) {
            return switch (a.listType()) {
                case "map" -> keys(a).isEmpty() ? ListKind.ATOMIC : ListKind.MAP;
                case "set" -> ListKind.SET;
                default -> ListKind.ATOMIC;
            };
        }
        if (hasMergeStrategy(a)) {
            return a.patchMergeKey() != null || !keys(a).isEmpty() ? ListKind.MAP : ListKind.SET;
        }
        return ListKind.ATOMIC;
    }

    static List<String> keys(Schema.ArrayType a) {
        if (a.listMapKeys() != null && !a.listMapKeys().isEmpty()) {
            return a.listMapKeys();
        }
        return a.patchMergeKey() == null ? List.of() : List.of(a.patchMergeKey());
    }

    static boolean hasMergeStrategy(Schema s) {
        return s instanceof Schema.ArrayType a && a.patchStrategy() != null
                && List.of(a.patchStrategy().split(",")).contains("merge");
    }

    static String mergeKey(Schema s) {
        return s instanceof Schema.ArrayType a ? a.patchMergeKey() : null;
    }

    /** The path element that names a list element, or null when the list is atomic. */
    static PathElement itemElement(Schema list, JsonNode item) {
        return switch (listKind(list)) {
            case ATOMIC -> null;
            case SET -> new PathElement.Value(item);
            case MAP -> {
                if (!item.isObject()) {
                    yield new PathElement.Value(item);
                }
                // A key field the element omits is left out of the key; upstream would fill
                // in the field's default, which our schema does not carry.
                List<PathElement.KeyField> fields = new ArrayList<>();
                for (String k : keys((Schema.ArrayType) list)) {
                    if (item.has(k)) {
                        fields.add(new PathElement.KeyField(k, item.get(k)));
                    }
                }
                yield new PathElement.Key(fields);
            }
        };
    }
}
