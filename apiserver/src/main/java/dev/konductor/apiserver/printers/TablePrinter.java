package dev.konductor.apiserver.printers;

import static dev.konductor.apiserver.printers.KindPrinter.row;
import static dev.konductor.apiserver.printers.ObjectFields.at;
import static dev.konductor.apiserver.printers.ObjectFields.name;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders lists as {@code meta.k8s.io/v1} Tables, the server-side printing behind
 * {@code kubectl get}: the same columns, cell values and {@code -o wide} columns upstream's
 * printers produce, so output matches any other cluster's.
 *
 * <p>Built-in kinds with an upstream printer get it; other built-in kinds (roles, limit ranges,
 * CRDs...) get upstream's default NAME / CREATED AT; custom resources get their CRD's
 * {@code additionalPrinterColumns} through {@link #customTable}. As upstream's server does, every
 * table carries the wide columns too; kubectl hides them unless asked.
 *
 * <p>Immutable and thread-safe; the clock is passed in so ages are testable.
 */
public final class TablePrinter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(ZoneOffset.UTC);

    private static final KindPrinter DEFAULT = new KindPrinter(List.of(ColumnDefinition.nameColumn(),
            new ColumnDefinition("Created At", "date", "", "When the object was created.", 0)),
            (o, now) -> row(name(o), createdAt(o)));

    private final Map<GroupKind, KindPrinter> printers;

    public TablePrinter() {
        Map<GroupKind, KindPrinter> all = new HashMap<>();
        all.putAll(CorePrinters.all());
        all.putAll(WorkloadPrinters.all());
        all.putAll(ClusterPrinters.all());
        this.printers = Map.copyOf(all);
    }

    /** The columns a table of this type has, wide ones included. */
    public List<ColumnDefinition> columns(ResourceType type) {
        return printer(type).columns();
    }

    /**
     * A Table of built-in objects.
     *
     * @param resourceVersion    the list's resourceVersion, or null
     * @param continueToken      the list's continue token, or null
     * @param remainingItemCount the list's remaining item count, or null
     * @param now                the instant ages are measured to
     */
    public ObjectNode table(ResourceType type, List<ObjectNode> objects, String resourceVersion, String continueToken,
                            Long remainingItemCount, IncludeObject include, Instant now) {
        KindPrinter printer = printer(type);
        ObjectNode table = header(printer.columns(), resourceVersion, continueToken, remainingItemCount);
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            row.set("cells", cells(printer.cells(object, now)));
            List<KindPrinter.RowCondition> conditions = printer.conditions().of(object);
            if (!conditions.isEmpty()) {
                ArrayNode json = row.putArray("conditions");
                conditions.forEach(c -> json.addObject().put("type", c.type()).put("status", c.status())
                        .put("reason", c.reason()).put("message", c.message()));
            }
            row.set("object", rowObject(withTypeMeta(object, type), include));
        }
        return table;
    }

    /**
     * A Table of custom resources, with the columns their CRD version declares; the name column is
     * always first, and an empty {@code columns} means the default AGE column.
     *
     * @throws IllegalArgumentException when a column's jsonPath is outside the supported subset
     */
    public ObjectNode customTable(List<ColumnSpec> columns, List<ObjectNode> objects, String resourceVersion,
                                  String continueToken, Long remainingItemCount, IncludeObject include, Instant now) {
        List<ColumnSpec> specs = columns.isEmpty() ? List.of(ColumnSpec.age()) : columns;
        List<ColumnDefinition> definitions = new ArrayList<>();
        definitions.add(ColumnDefinition.nameColumn());
        List<JsonPath> paths = new ArrayList<>();
        for (ColumnSpec spec : specs) {
            definitions.add(new ColumnDefinition(spec.name(), spec.type(), spec.format(), spec.description(),
                    spec.priority()));
            paths.add(JsonPath.compile(spec.jsonPath()));
        }
        ObjectNode table = header(definitions, resourceVersion, continueToken, remainingItemCount);
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            List<Object> cells = new ArrayList<>();
            cells.add(name(object));
            for (int i = 0; i < specs.size(); i++) {
                List<JsonNode> found = paths.get(i).find(object);
                cells.add(found.isEmpty() ? null : CustomCells.cell(specs.get(i).type(), found.get(0), now));
            }
            ObjectNode row = rows.addObject();
            row.set("cells", cells(cells));
            row.set("object", rowObject(object, include));
        }
        return table;
    }

    /** Whether a printer column's jsonPath is in the subset {@link #customTable} evaluates. */
    public static boolean supportsColumnPath(String jsonPath) {
        try {
            JsonPath.compile(jsonPath);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private KindPrinter printer(ResourceType type) {
        return printers.getOrDefault(new GroupKind(type.group(), type.kind()), DEFAULT);
    }

    private static ObjectNode header(List<ColumnDefinition> columns, String resourceVersion, String continueToken,
                                     Long remainingItemCount) {
        ObjectNode table = NODES.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode metadata = table.putObject("metadata");
        if (resourceVersion != null && !resourceVersion.isEmpty()) {
            metadata.put("resourceVersion", resourceVersion);
        }
        if (continueToken != null && !continueToken.isEmpty()) {
            metadata.put("continue", continueToken);
        }
        if (remainingItemCount != null) {
            metadata.put("remainingItemCount", remainingItemCount);
        }
        ArrayNode definitions = table.putArray("columnDefinitions");
        columns.forEach(c -> definitions.add(c.toJson()));
        return table;
    }

    private static ArrayNode cells(List<Object> cells) {
        ArrayNode json = NODES.arrayNode(cells.size());
        for (Object cell : cells) {
            switch (cell) {
                case null -> json.addNull();
                case String s -> json.add(s);
                // small values as ints, as a JSON parser reads them back, so trees compare equal
                case Long l -> {
                    if (l == l.intValue()) {
                        json.add(l.intValue());
                    } else {
                        json.add(l);
                    }
                }
                case Integer i -> json.add(i);
                case Boolean b -> json.add(b);
                case Double d -> json.add(d);
                default -> throw new IllegalStateException("unexpected cell type " + cell.getClass());
            }
        }
        return json;
    }

    /** What {@code rows[].object} holds; kubectl reads the namespace and labels from it. */
    private static JsonNode rowObject(ObjectNode object, IncludeObject include) {
        return switch (include) {
            case NONE -> NODES.nullNode();
            case OBJECT -> object;
            case METADATA -> {
                ObjectNode partial = NODES.objectNode();
                partial.put("kind", "PartialObjectMetadata");
                partial.put("apiVersion", "meta.k8s.io/v1");
                JsonNode metadata = at(object, "metadata");
                partial.set("metadata", metadata.isObject() ? metadata : NODES.objectNode());
                yield partial;
            }
        };
    }

    /** The object with kind and apiVersion, copied only when it lacks them (objects are shared). */
    private static ObjectNode withTypeMeta(ObjectNode object, ResourceType type) {
        if (object.hasNonNull("kind") && object.hasNonNull("apiVersion")) {
            return object;
        }
        ObjectNode copy = NODES.objectNode();
        copy.put("kind", type.kind());
        copy.put("apiVersion", type.apiVersion());
        object.properties().forEach(e -> {
            if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) {
                copy.set(e.getKey(), e.getValue());
            }
        });
        return copy;
    }

    /** Upstream's default printer shows the creation time itself; Go's zero time when unset. */
    private static String createdAt(ObjectNode object) {
        return ObjectFields.instant(at(object, "metadata", "creationTimestamp"))
                .map(RFC3339::format).orElse("0001-01-01T00:00:00Z");
    }
}
