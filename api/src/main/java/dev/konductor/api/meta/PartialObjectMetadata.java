package dev.konductor.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * meta.k8s.io/v1 PartialObjectMetadata and PartialObjectMetadataList: objects reduced to their
 * metadata. Metadata-only clients ask for them with {@code Accept:
 * application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1} (or {@code
 * as=PartialObjectMetadataList} for lists), as client-go's metadata informers do for the garbage
 * collector: they need owners, finalizers and deletion stamps, not a pod's spec and status.
 */
public final class PartialObjectMetadata {

    public static final String API_VERSION = "meta.k8s.io/v1";
    public static final String KIND = "PartialObjectMetadata";
    public static final String LIST_KIND = "PartialObjectMetadataList";

    private PartialObjectMetadata() {
    }

    /** Whether an Accept header asks for metadata only (either the object or the list form). */
    public static boolean requested(String accept) {
        return accept != null && accept.contains("as=" + KIND);
    }

    /** {@code object} reduced to its metadata; shares the metadata node, so never mutate the result. */
    public static ObjectNode of(JsonNode object) {
        ObjectNode partial = JsonNodeFactory.instance.objectNode();
        partial.put("kind", KIND);
        partial.put("apiVersion", API_VERSION);
        JsonNode metadata = object.get("metadata");
        partial.set("metadata", metadata != null ? metadata : JsonNodeFactory.instance.objectNode());
        return partial;
    }

    /** A PartialObjectMetadataList of {@code objects}, each reduced to its metadata. */
    public static ObjectNode list(List<? extends JsonNode> objects, String resourceVersion, String continueToken) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("kind", LIST_KIND);
        list.put("apiVersion", API_VERSION);
        ObjectNode meta = list.putObject("metadata");
        meta.put("resourceVersion", resourceVersion);
        if (continueToken != null) {
            meta.put("continue", continueToken);
        }
        ArrayNode items = list.putArray("items");
        objects.forEach(o -> items.add(of(o)));
        return list;
    }
}
