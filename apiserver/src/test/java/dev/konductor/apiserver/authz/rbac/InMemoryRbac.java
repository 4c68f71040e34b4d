package dev.konductor.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Roles and bindings held in lists, written as YAML-ish JSON, for the RBAC unit tests. */
final class InMemoryRbac implements RbacObjects {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> objects = new ArrayList<>();

    /** Adds an object given as JSON with single quotes for readability. */
    InMemoryRbac add(String json) {
        try {
            objects.add(JSON.readTree(json.replace('\'', '"')));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
        return this;
    }

    /** Adds objects as the API server stores them. */
    InMemoryRbac addAll(List<? extends JsonNode> all) {
        objects.addAll(all);
        return this;
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @Override
    public List<JsonNode> clusterRoleBindings() {
        return of("ClusterRoleBinding", null);
    }

    @Override
    public List<JsonNode> roleBindings(String namespace) {
        return of("RoleBinding", namespace);
    }

    @Override
    public JsonNode clusterRole(String name) {
        return of("ClusterRole", null).stream().filter(o -> name(o).equals(name)).findFirst().orElse(null);
    }

    @Override
    public JsonNode role(String namespace, String name) {
        return of("Role", namespace).stream().filter(o -> name(o).equals(name)).findFirst().orElse(null);
    }

    private List<JsonNode> of(String kind, String namespace) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind))
                .filter(o -> namespace == null || o.path("metadata").path("namespace").asText().equals(namespace))
                .toList();
    }

    private static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }
}
