package dev.konductor.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.apiserver.printers.ColumnSpec;
import dev.konductor.apiserver.printers.TablePrinter;
import dev.konductor.apiserver.rest.ScalePaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One served version of a CustomResourceDefinition, as the API server needs it: the resource
 * type it registers, the version's openAPIV3Schema, its scale paths and printer columns. Holds
 * no {@link dev.konductor.api.schema.Schema} (those graphs are cyclic), so records compare
 * safely to tell whether a definition's update changed what is served.
 *
 * @param scale   null when the version has no scale subresource
 * @param columns the additionalPrinterColumns whose jsonPath the printer supports
 */
record ServedVersion(ResourceType type, JsonNode openApiV3Schema, ScalePaths scale, List<ColumnSpec> columns) {

    /** The served versions of a definition, preferred (most stable) first. */
    static List<ServedVersion> of(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText("");
        JsonNode names = spec.path("names");
        String kind = names.path("kind").asText("");
        String plural = names.path("plural").asText("");
        if (group.isEmpty() || kind.isEmpty() || plural.isEmpty()) {
            return List.of();
        }
        String singular = names.path("singular").asText("");
        if (singular.isEmpty()) {
            singular = kind.toLowerCase(Locale.ROOT);
        }
        boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
        String storageVersion = null;
        for (JsonNode v : spec.path("versions")) {
            if (v.path("storage").asBoolean(false)) {
                storageVersion = v.path("name").asText();
            }
        }
        if (storageVersion == null) {
            return List.of();
        }
        GroupVersionKind storage = new GroupVersionKind(group, storageVersion, kind);
        List<ServedVersion> served = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(false) || v.path("name").asText("").isEmpty()) {
                continue;
            }
            JsonNode subresources = v.path("subresources");
            List<String> subs = new ArrayList<>();
            if (subresources.has("status")) {
                subs.add("status");
            }
            ScalePaths scale = scale(subresources.path("scale"));
            if (scale != null) {
                subs.add("scale");
            }
            ResourceType type = new ResourceType(group, v.path("name").asText(), kind, plural, singular, namespaced,
                    strings(names.path("shortNames")), strings(names.path("categories")), List.copyOf(subs),
                    group + "/" + plural, storage, null, ResourceType.ALL_VERBS);
            JsonNode schema = v.path("schema").path("openAPIV3Schema");
            served.add(new ServedVersion(type, schema.isObject() ? schema : MissingNode.getInstance(), scale,
                    columns(v.path("additionalPrinterColumns"))));
        }
        served.sort((a, b) -> VersionPriority.INSTANCE.compare(a.type().version(), b.type().version()));
        return List.copyOf(served);
    }

    private static ScalePaths scale(JsonNode scale) {
        if (!scale.isObject()) {
            return null;
        }
        String spec = scale.path("specReplicasPath").asText("");
        String status = scale.path("statusReplicasPath").asText("");
        if (spec.isEmpty() || status.isEmpty()) {
            return null;
        }
        String selector = scale.path("labelSelectorPath").asText("");
        return new ScalePaths(spec, status, selector.isEmpty() ? null : selector);
    }

    private static List<ColumnSpec> columns(JsonNode declared) {
        List<ColumnSpec> columns = new ArrayList<>();
        for (JsonNode c : declared) {
            String name = c.path("name").asText("");
            String jsonPath = c.path("jsonPath").asText("");
            if (name.isEmpty() || jsonPath.isEmpty() || !TablePrinter.supportsColumnPath(jsonPath)) {
                continue;
            }
            columns.add(new ColumnSpec(name, c.path("type").asText("string"), c.path("format").asText(""),
                    c.path("description").asText(""), c.path("priority").asInt(0), jsonPath));
        }
        return List.copyOf(columns);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return List.copyOf(values);
    }
}
