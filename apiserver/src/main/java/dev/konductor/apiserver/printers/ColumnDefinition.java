package dev.konductor.apiserver.printers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One column of a {@code meta.k8s.io/v1} Table. {@code priority > 0} columns are the extra ones
 * {@code kubectl get -o wide} shows; {@code format: "name"} marks the object's name column.
 */
public record ColumnDefinition(String name, String type, String format, String description, int priority) {

    public ColumnDefinition {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("column name must not be empty");
        }
    }

    static ColumnDefinition nameColumn() {
        return new ColumnDefinition("Name", "string", "name", "The object's name, unique within its namespace.", 0);
    }

    static ColumnDefinition ageColumn() {
        return new ColumnDefinition("Age", "string", "", "Time since the object was created.", 0);
    }

    static ColumnDefinition string(String name, String description) {
        return new ColumnDefinition(name, "string", "", description, 0);
    }

    static ColumnDefinition integer(String name, String description) {
        return new ColumnDefinition(name, "integer", "", description, 0);
    }

    static ColumnDefinition bool(String name, String description) {
        return new ColumnDefinition(name, "boolean", "", description, 0);
    }

    /** The same column, shown only by {@code -o wide}. */
    ColumnDefinition wide() {
        return new ColumnDefinition(name, type, format, description, 1);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("name", name);
        json.put("type", type);
        json.put("format", format == null ? "" : format);
        json.put("description", description == null ? "" : description);
        json.put("priority", priority);
        return json;
    }
}
