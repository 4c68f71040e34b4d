package dev.konductor.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.status.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CrdSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelSchemas MODELS = ModelSchemas.create();

    private static final String SCHEMA = """
            {"type": "object", "properties": {
              "spec": {"type": "object", "required": ["size"], "properties": {
                "size": {"type": "string"},
                "replicas": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 10, "default": 1},
                "mode": {"type": "string", "enum": ["a", "b"], "default": "a"},
                "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"},
                "port": {"x-kubernetes-int-or-string": true},
                "tags": {"type": "array", "maxItems": 2, "minItems": 1, "items": {"type": "string"},
                         "x-kubernetes-list-type": "set"},
                "ratio": {"type": "number", "exclusiveMaximum": true, "maximum": 1},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 1},
                "nested": {"type": "object", "default": {}, "properties": {
                  "level": {"type": "integer", "default": 3}}},
                "items": {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {
                  "id": {"type": "string"}, "weight": {"type": "integer", "default": 5}}}},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                             "x-kubernetes-preserve-unknown-fields": true},
                "maybe": {"type": "string", "nullable": true}
              }},
              "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}
            }}""";

    @Test
    void convertsStructuralSchema() throws Exception {
        Schema.ObjectType root = (Schema.ObjectType) new CrdSchemas(MODELS).fromOpenApiV3(JSON.readTree(SCHEMA));
        assertThat(root.properties()).containsKeys("apiVersion", "kind", "metadata", "spec", "status");
        assertThat(root.properties().get("metadata").schema()).isSameAs(MODELS.objectMeta());
        Schema.ObjectType spec = (Schema.ObjectType) root.properties().get("spec").schema();
        assertThat(spec.required()).containsExactly("size");
        assertThat(spec.properties().get("port").schema()).isInstanceOf(Schema.IntOrString.class);
        assertThat(spec.properties().get("mode").schema())
                .isEqualTo(new Schema.Scalar(Schema.ScalarKind.STRING, null, List.of("a", "b"), ""));
        assertThat(((Schema.ArrayType) spec.properties().get("tags").schema()).listType()).isEqualTo("set");
        assertThat(spec.properties().get("labels").schema()).isInstanceOf(Schema.MapType.class);
        assertThat(((Schema.ObjectType) spec.properties().get("free").schema()).preserveUnknownFields()).isTrue();
        Schema.ObjectType template = (Schema.ObjectType) spec.properties().get("template").schema();
        assertThat(template.properties()).containsKeys("apiVersion", "kind", "metadata");
    }

    @Test
    void reportsProblemsInUpstreamWords() throws Exception {
        JsonNode obj = JSON.readTree("""
                {"spec": {"replicas": "string", "mode": "x", "name": "TooLongName", "tags": ["a", "b", "c"],
                          "ratio": 1, "labels": {"a": "1", "b": "2"}, "items": [{"weight": 1.5}],
                          "maybe": null, "port": true}}""");
        List<String> errors = CrdValidator.validate(obj, JSON.readTree(SCHEMA)).stream()
                .map(e -> e.field() + ": " + e.message()).toList();
        assertThat(errors).containsExactlyInAnyOrder(
                "spec.size: Required value",
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
                "spec.mode: Unsupported value: \"x\": supported values: \"a\", \"b\"",
                "spec.name: Too long: may not be more than 5 bytes",
                "spec.name: Invalid value: \"TooLongName\": spec.name in body should match '^[a-z]+$'",
                "spec.tags: Too many: 3: must have at most 2 items",
                "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1",
                "spec.labels: Too many: 2: must have at most 1 item",
                "spec.items[0].id: Required value",
                "spec.items[0].weight: Invalid value: \"number\": spec.items[0].weight in body must be of type "
                        + "integer: \"number\"",
                "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer-or-string: "
                        + "\"boolean\"");
    }

    @Test
    void boundsAndReasons() throws Exception {
        JsonNode obj = JSON.readTree("{\"spec\": {\"size\": \"s\", \"replicas\": 20, \"name\": \"a\", \"tags\": []}}");
        List<FieldError> errors = CrdValidator.validate(obj, JSON.readTree(SCHEMA));
        assertThat(errors).extracting(e -> e.field() + ": " + e.message()).containsExactlyInAnyOrder(
                "spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10",
                "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long",
                "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items");
        assertThat(errors).extracting(FieldError::reason).containsOnly("FieldValueInvalid");
        assertThat(CrdValidator.validate(JSON.readTree("{\"spec\": {\"replicas\": 1}}"), JSON.readTree(SCHEMA)))
                .extracting(FieldError::reason).containsExactly("FieldValueRequired");
    }

    @Test
    void appliesDefaultsDeeply() throws Exception {
        ObjectNode obj = (ObjectNode) JSON.readTree(
                "{\"spec\": {\"size\": \"s\", \"mode\": null, \"items\": [{\"id\": \"x\"}], \"maybe\": null}}");
        Defaults.apply(obj, JSON.readTree(SCHEMA));
        assertThat(obj.toString()).isEqualTo("{\"spec\":{\"size\":\"s\",\"mode\":\"a\",\"items\":[{\"id\":\"x\","
                + "\"weight\":5}],\"maybe\":null,\"replicas\":1,\"nested\":{\"level\":3}}}");
    }

    @Test
    void prunesUnknownFieldsButKeepsPreservedOnes() throws Exception {
        Schema schema = new CrdSchemas(MODELS).fromOpenApiV3(JSON.readTree(SCHEMA));
        ObjectNode obj = (ObjectNode) JSON.readTree("""
                {"apiVersion": "example.com/v1", "kind": "Thing",
                 "metadata": {"name": "x", "bogus": 1},
                 "spec": {"size": "s", "extra": true, "items": [{"id": "a", "junk": 1}],
                          "free": {"anything": {"goes": 1}},
                          "template": {"metadata": {"name": "t", "nope": 1}, "spec": {"x": 1}}},
                 "top": 1}""");
        List<String> pruned = FieldPruner.pruneUnknown(obj, schema);
        assertThat(pruned).containsExactly("metadata.bogus", "spec.extra", "spec.items[0].junk",
                "spec.template.metadata.nope", "top");
        assertThat(obj.at("/spec/free/anything/goes").asInt()).isEqualTo(1);
        assertThat(obj.at("/spec/template/spec/x").asInt()).isEqualTo(1);
    }
}
