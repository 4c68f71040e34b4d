package dev.konductor.api.meta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;

/** Test fixtures: objects written as YAML, and built-in resource types by apiVersion and kind. */
public final class TestObjects {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ResourceRegistry REGISTRY = ResourceRegistry.builtIn();

    private TestObjects() {
    }

    public static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static ResourceType type(String apiVersion, String kind) {
        return REGISTRY.byKind(GroupVersionKind.of(apiVersion, kind)).orElseThrow();
    }
}
