package dev.konductor.api.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of an object's {@code metadata}: the fields the defaulter, validator and API
 * server read over and over. A missing metadata reads as empty.
 */
public record ObjectMetaView(ObjectNode metadata) {

    public static ObjectMetaView of(JsonNode object) {
        ObjectNode m = ObjectTree.object(object, "metadata");
        return new ObjectMetaView(m == null ? JsonNodeFactory.instance.objectNode() : m);
    }

    public String name() {
        return ObjectTree.textOrEmpty(metadata, "name");
    }

    public String generateName() {
        return ObjectTree.textOrEmpty(metadata, "generateName");
    }

    public String namespace() {
        return ObjectTree.textOrEmpty(metadata, "namespace");
    }

    public String uid() {
        return ObjectTree.textOrEmpty(metadata, "uid");
    }

    public String resourceVersion() {
        return ObjectTree.textOrEmpty(metadata, "resourceVersion");
    }

    public String creationTimestamp() {
        return ObjectTree.textOrEmpty(metadata, "creationTimestamp");
    }

    public String deletionTimestamp() {
        return ObjectTree.textOrEmpty(metadata, "deletionTimestamp");
    }

    public Map<String, String> labels() {
        return ObjectTree.stringMap(metadata, "labels");
    }

    public Map<String, String> annotations() {
        return ObjectTree.stringMap(metadata, "annotations");
    }

    public List<String> finalizers() {
        return ObjectTree.strings(metadata, "finalizers");
    }

    public List<ObjectNode> ownerReferences() {
        return ObjectTree.objects(metadata, "ownerReferences");
    }
}
