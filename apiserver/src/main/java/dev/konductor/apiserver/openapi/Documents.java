package dev.konductor.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.schema.Descriptions;
import dev.konductor.api.schema.ModelSchemas;
import dev.konductor.api.schema.Schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles OpenAPI documents from one snapshot of the served resources and custom schemas. Each
 * instance is used for one build and thrown away; {@link OpenApi} caches the results.
 */
final class Documents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ResourceRegistry registry;
    private final ModelSchemas models;
    private final Map<GroupVersionKind, Schema.ObjectType> customSchemas;
    private final ResourcePaths.CommonTypes common;

    Documents(ResourceRegistry registry, ModelSchemas models, Map<GroupVersionKind, Schema.ObjectType> customSchemas) {
        this.registry = registry;
        this.models = models;
        this.customSchemas = customSchemas;
        this.common = new ResourcePaths.CommonTypes(
                models.forModel(io.fabric8.kubernetes.api.model.Status.class),
                models.forModel(io.fabric8.kubernetes.api.model.DeleteOptions.class),
                models.forModel(io.fabric8.kubernetes.api.model.autoscaling.v1.Scale.class));
    }

    /** The OpenAPI 3 document of one group/version. */
    JsonNode v3(String group, String version, List<ResourceType> resources) {
        SchemaJson schemas = new SchemaJson(Dialect.V3, models::fieldPatchStrategy, Descriptions.builtIn());
        ObjectNode doc = NODES.objectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
        ObjectNode paths = doc.putObject("paths");
        addPaths(paths, resources, new PathsJson(Dialect.V3, schemas), schemas);
        ObjectNode components = doc.putObject("components");
        components.set("schemas", schemas.definitions(groupVersionKinds()));
        components.putObject("securitySchemes").putObject("BearerToken")
                .put("type", "apiKey").put("name", "authorization").put("in", "header")
                .put("description", "Bearer Token authentication");
        doc.putArray("security").addObject().putArray("BearerToken");
        return doc;
    }

    /** The Swagger 2.0 document of every served resource. */
    JsonNode v2(Collection<ResourceType> resources) {
        SchemaJson schemas = new SchemaJson(Dialect.V2, models::fieldPatchStrategy, Descriptions.builtIn());
        ObjectNode doc = NODES.objectNode();
        doc.put("swagger", "2.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
        ObjectNode paths = doc.putObject("paths");
        addPaths(paths, resources, new PathsJson(Dialect.V2, schemas), schemas);
        doc.set("definitions", schemas.definitions(groupVersionKinds()));
        return doc;
    }

    private void addPaths(ObjectNode paths, Collection<ResourceType> resources, PathsJson json, SchemaJson schemas) {
        for (ResourceType type : resources) {
            Schema.ObjectType kind = kindSchema(type);
            List<ResourcePaths.PathItem> items = ResourcePaths.of(type, kind, listSchema(type, kind), common);
            json.add(paths, items, ResourcePaths.tag(type.group(), type.version()));
        }
        // referenced by watch responses upstream; published so clients that look for them find them
        schemas.ref(models.forModel(io.fabric8.kubernetes.api.model.WatchEvent.class));
    }

    private Schema.ObjectType kindSchema(ResourceType type) {
        if (type.modelClass() != null) {
            return models.forModel(type.modelClass());
        }
        Schema.ObjectType custom = customSchemas.get(type.gvk());
        return custom != null ? custom : customKind(type, new Schema.AnyValue(""), models);
    }

    private Schema.ObjectType listSchema(ResourceType type, Schema.ObjectType kind) {
        if (type.modelClass() != null) {
            Schema.ObjectType list = models.forListOf(type.modelClass()).orElse(null);
            if (list != null) {
                return list;
            }
        }
        Map<String, Schema.Property> properties = new LinkedHashMap<>();
        properties.put("apiVersion", new Schema.Property(string(), ""));
        properties.put("items", new Schema.Property(
                new Schema.ArrayType(kind, "", null, null, null, List.of()), ""));
        properties.put("kind", new Schema.Property(string(), ""));
        properties.put("metadata", new Schema.Property(
                models.forModel(io.fabric8.kubernetes.api.model.ListMeta.class), ""));
        return new Schema.ObjectType(kind.name() + "List", "", Collections.unmodifiableMap(properties),
                List.of("items"), false);
    }

    /** Which definitions are kinds, for their {@code x-kubernetes-group-version-kind}. */
    private Map<String, List<GroupVersionKind>> groupVersionKinds() {
        Map<String, List<GroupVersionKind>> gvks = new HashMap<>();
        for (ResourceType type : registry.all()) {
            Schema.ObjectType kind = kindSchema(type);
            add(gvks, kind.name(), type.gvk());
            if (type.verbs().contains("list")) {
                add(gvks, listSchema(type, kind).name(),
                        new GroupVersionKind(type.group(), type.version(), type.listKind()));
            }
        }
        add(gvks, common.status().name(), new GroupVersionKind("", "v1", "Status"));
        add(gvks, common.scale().name(), new GroupVersionKind("autoscaling", "v1", "Scale"));
        gvks.put(common.deleteOptions().name(), OpenApi.allGroupVersions(registry, "DeleteOptions"));
        gvks.put(models.forModel(io.fabric8.kubernetes.api.model.WatchEvent.class).name(),
                OpenApi.allGroupVersions(registry, "WatchEvent"));
        return gvks;
    }

    private static void add(Map<String, List<GroupVersionKind>> gvks, String definition, GroupVersionKind gvk) {
        List<GroupVersionKind> kinds = gvks.computeIfAbsent(definition, d -> new ArrayList<>());
        if (!kinds.contains(gvk)) {
            kinds.add(gvk);
        }
    }

    /**
     * A custom resource's schema as a named definition: upstream names it by the reversed group,
     * the version and the kind ({@code com.example.stable.v1.CronTab}).
     */
    static Schema.ObjectType customKind(ResourceType type, Schema schema, ModelSchemas models) {
        List<String> domain = new ArrayList<>(List.of(type.group().split("\\.")));
        Collections.reverse(domain);
        String name = String.join(".", domain) + "." + type.version() + "." + type.kind();
        Map<String, Schema.Property> properties = new LinkedHashMap<>();
        properties.put("apiVersion", new Schema.Property(string(), ""));
        properties.put("kind", new Schema.Property(string(), ""));
        properties.put("metadata", new Schema.Property(models.objectMeta(), ""));
        if (schema instanceof Schema.ObjectType object) {
            object.properties().forEach(properties::putIfAbsent);
            return new Schema.ObjectType(name, object.description(), Collections.unmodifiableMap(properties),
                    object.required(), object.preserveUnknownFields());
        }
        return new Schema.ObjectType(name, schema.description(), Collections.unmodifiableMap(properties),
                List.of(), true);
    }

    private static Schema.Scalar string() {
        return new Schema.Scalar(Schema.ScalarKind.STRING, null, List.of(), "");
    }
}
