package dev.konductor.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.schema.CrdSchemas;
import dev.konductor.api.schema.ModelSchemas;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiTest {

    private static final ModelSchemas MODELS = ModelSchemas.create();
    private static final String DEPLOYMENT_ITEM = "/apis/apps/v1/namespaces/{namespace}/deployments/{name}";

    private final ResourceRegistry registry = ResourceRegistry.builtIn();
    private final OpenApi openApi = new OpenApi(registry, MODELS);

    @Test
    void rootListsEveryGroupVersionWithAStableHash() {
        JsonNode paths = openApi.v3Root().get("paths");
        List<String> expected = new ArrayList<>();
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                expected.add(group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version);
            }
        }
        assertThat(names(paths)).containsExactlyElementsOf(expected);
        assertThat(paths.at("/apis~1apps~1v1/serverRelativeURL").asText())
                .matches("/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{128}");
        assertThat(new OpenApi(registry, MODELS).v3Root()).isEqualTo(openApi.v3Root());
    }

    @Test
    void everyGroupVersionDocumentIsSelfContained() {
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                JsonNode doc = openApi.v3GroupVersion(group, version).orElseThrow();
                JsonNode schemas = doc.at("/components/schemas");
                assertThat(refs(doc)).allSatisfy(ref -> assertThat(schemas.has(ref.substring(
                        "#/components/schemas/".length()))).as(ref).isTrue());
                for (ResourceType type : registry.resources(group, version)) {
                    assertThat(kindDefinition(doc, type.gvk())).as(type.kind()).isNotNull();
                }
            }
        }
        assertThat(openApi.v3GroupVersion("nope.example.com", "v1")).isEmpty();
    }

    @Test
    void builtInTypesAndFieldsAreDocumentedForKubectlExplain() {
        JsonNode schemas = openApi.v3GroupVersion("apps", "v1").orElseThrow().at("/components/schemas");
        JsonNode spec = schemas.get("io.k8s.api.apps.v1.DeploymentSpec");
        assertThat(spec.path("description").asText()).contains("desired behavior of the Deployment");
        assertThat(spec.at("/properties/replicas/description").asText()).contains("Number of desired pods");
        // a field of a documented type is described by its type, its $ref kept inside allOf as upstream's OpenAPI 3 does
        assertThat(spec.at("/properties/template/allOf/0").path("$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec");
        assertThat(spec.at("/properties/template/description").asText()).contains("PodTemplateSpec");
    }

    @Test
    void deploymentDocumentCarriesWhatKubectlReads() {
        JsonNode doc = openApi.v3GroupVersion("apps", "v1").orElseThrow();
        JsonNode schemas = doc.at("/components/schemas");
        JsonNode containers = schemas.at("/io.k8s.api.core.v1.PodSpec/properties/containers");
        assertThat(containers.get("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(containers.get("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(containers.get("x-kubernetes-list-type").asText()).isEqualTo("map");
        assertThat(containers.at("/items/$ref").asText()).isEqualTo("#/components/schemas/io.k8s.api.core.v1.Container");
        assertThat(schemas.at("/io.k8s.api.core.v1.Container/required/0").asText()).isEqualTo("name");
        assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentSpec/properties/strategy/allOf/0/$ref").asText())
                .endsWith("io.k8s.api.apps.v1.DeploymentStrategy");
        assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentSpec/properties/replicas/format").asText())
                .isEqualTo("int32");
        assertThat(schemas.at("/io.k8s.api.apps.v1.Deployment/x-kubernetes-group-version-kind"))
                .containsExactly(SchemaJson.gvk(new GroupVersionKind("apps", "v1", "Deployment")));

        JsonNode patch = doc.at("/paths").get(DEPLOYMENT_ITEM).get("patch");
        assertThat(patch.get("x-kubernetes-action").asText()).isEqualTo("patch");
        assertThat(patch.get("x-kubernetes-group-version-kind"))
                .isEqualTo(SchemaJson.gvk(new GroupVersionKind("apps", "v1", "Deployment")));
        assertThat(patch.get("parameters").findValuesAsText("name"))
                .contains("fieldValidation", "dryRun", "fieldManager", "force");
        assertThat(names(patch.at("/requestBody/content"))).containsExactlyInAnyOrderElementsOf(
                PathsJson.PATCH_TYPES);
        assertThat(doc.at("/paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale")
                .at("/patch/x-kubernetes-group-version-kind/kind").asText()).isEqualTo("Scale");
    }

    @Test
    void v2ProtobufCarriesDefinitionsAndPatchOperations() throws Exception {
        byte[] bytes = openApi.v2Protobuf();
        ProtoReader.Message doc = ProtoReader.parse(bytes);
        assertThat(doc.string(1)).isEqualTo("2.0");

        ProtoReader.Message deployment = named(doc.message(9).messages(1), "io.k8s.api.apps.v1.Deployment");
        ProtoReader.Message gvk = named(deployment.messages(31), "x-kubernetes-group-version-kind");
        assertThat(new ObjectMapper().readTree(gvk.string(2)))
                .containsExactly(SchemaJson.gvk(new GroupVersionKind("apps", "v1", "Deployment")));

        ProtoReader.Message podSpec = named(doc.message(9).messages(1), "io.k8s.api.core.v1.PodSpec");
        ProtoReader.Message containers = named(podSpec.message(25).messages(1), "containers");
        assertThat(containers.message(22).strings(1)).containsExactly("array");
        assertThat(named(containers.messages(31), "x-kubernetes-patch-merge-key").string(2))
                .isEqualTo("\"name\"");
        assertThat(containers.message(23).message(1).string(1)).isEqualTo("#/definitions/io.k8s.api.core.v1.Container");

        ProtoReader.Message path = named(doc.message(8).messages(2), DEPLOYMENT_ITEM);
        ProtoReader.Message patch = path.message(8);
        assertThat(patch.strings(7)).containsExactlyInAnyOrderElementsOf(PathsJson.PATCH_TYPES);
        List<String> queryParameters = patch.messages(8).stream()
                .map(p -> p.message(1)).filter(p -> p.has(2))
                .map(p -> p.message(2).message(3).string(4)).toList();
        assertThat(queryParameters).contains("fieldValidation", "dryRun", "fieldManager", "force");
        assertThat(new ObjectMapper().readTree(named(patch.messages(13), "x-kubernetes-group-version-kind")
                .string(2)).get("kind").asText()).isEqualTo("Deployment");
    }

    @Test
    void v2JsonReferencesResolve() {
        JsonNode doc = openApi.v2Json();
        assertThat(refs(doc)).allSatisfy(ref ->
                assertThat(doc.get("definitions").has(ref.substring("#/definitions/".length()))).as(ref).isTrue());
    }

    @Test
    void customResourcesComeAndGo() throws Exception {
        ResourceType crontab = new ResourceType("stable.example.com", "v1", "CronTab", "crontabs", "crontab", true,
                List.of("ct"), List.of(), List.of("status"), "stable.example.com/crontabs",
                new GroupVersionKind("stable.example.com", "v1", "CronTab"), null, Set.copyOf(ResourceType.ALL_VERBS));
        registry.add(crontab);
        String before = openApi.v3Root().toString();
        openApi.putCustomResource(crontab, new CrdSchemas(MODELS).fromOpenApiV3(new ObjectMapper().readTree("""
                {"type": "object", "properties": {"spec": {"type": "object", "properties": {
                  "cronSpec": {"type": "string"}, "replicas": {"type": "integer"}}}}}""")));
        JsonNode doc = openApi.v3GroupVersion("stable.example.com", "v1").orElseThrow();
        JsonNode kind = doc.at("/components/schemas/com.example.stable.v1.CronTab");
        assertThat(kind.at("/properties/spec/properties/cronSpec/type").asText()).isEqualTo("string");
        assertThat(kind.at("/properties/metadata/allOf/0/$ref").asText()).endsWith("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(kind.get("x-kubernetes-group-version-kind").get(0).get("kind").asText()).isEqualTo("CronTab");
        assertThat(openApi.v3Root().toString()).isNotEqualTo(before);

        openApi.removeCustomResource(crontab);
        registry.remove("stable.example.com", "v1", "crontabs");
        assertThat(openApi.v3GroupVersion("stable.example.com", "v1")).isEmpty();
        assertThat(openApi.v3Root().get("paths").has("apis/stable.example.com/v1")).isFalse();
    }

    private static JsonNode kindDefinition(JsonNode doc, GroupVersionKind gvk) {
        for (JsonNode schema : doc.at("/components/schemas")) {
            for (JsonNode candidate : schema.path("x-kubernetes-group-version-kind")) {
                if (candidate.equals(SchemaJson.gvk(gvk))) {
                    return schema;
                }
            }
        }
        return null;
    }

    private static ProtoReader.Message named(List<ProtoReader.Message> entries, String name) {
        return entries.stream().filter(e -> e.string(1).equals(name)).findFirst()
                .map(e -> e.message(2))
                .orElseThrow(() -> new AssertionError("no entry " + name));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> refs(JsonNode node) {
        List<String> refs = new ArrayList<>();
        // JSONSchemaProps has a property named $ref; only textual values are references
        node.findValues("$ref").stream().filter(JsonNode::isTextual).forEach(r -> refs.add(r.asText()));
        return refs;
    }
}
