package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Where the scale subresource reads desired and current replicas and the label selector, as a
 * CustomResourceDefinition's {@code subresources.scale} declares them ({@code .spec.replicas},
 * {@code .status.replicas}, {@code .status.labelSelector}). Built-in workloads use the fixed
 * paths of {@link #BUILT_IN}, whose selector is a structured {@code LabelSelector} rather than a
 * string.
 *
 * @param labelSelector the path of the serialized selector string, or null when none is declared
 */
public record ScalePaths(String specReplicas, String statusReplicas, String labelSelector) {

    public static final ScalePaths BUILT_IN = new ScalePaths(".spec.replicas", ".status.replicas", null);

    public ScalePaths {
        if (specReplicas == null || specReplicas.isEmpty() || statusReplicas == null || statusReplicas.isEmpty()) {
            throw new IllegalArgumentException("scale needs specReplicasPath and statusReplicasPath");
        }
    }

    boolean builtIn() {
        return this == BUILT_IN;
    }

    /** The value at a simple JSON path ({@code .spec.replicas}); missing node when absent. */
    static JsonNode get(JsonNode obj, String path) {
        JsonNode node = obj;
        for (String field : fields(path)) {
            node = node.path(field);
        }
        return node;
    }

    /** Sets an integer at a simple JSON path, creating the objects on the way. */
    static void setInt(ObjectNode obj, String path, int value) {
        List<String> fields = fields(path);
        ObjectNode node = obj;
        for (int i = 0; i < fields.size() - 1; i++) {
            node = node.withObject(fields.get(i));
        }
        node.put(fields.getLast(), value);
    }

    private static List<String> fields(String path) {
        String trimmed = path.startsWith(".") ? path.substring(1) : path;
        return List.of(trimmed.split("\\."));
    }
}
