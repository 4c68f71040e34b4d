package dev.konductor.apiserver.crd;

import static dev.konductor.apiserver.testsupport.TestApiServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Custom resources served from CustomResourceDefinitions, through a real client against the real server. */
// a hang guard above the 60 s waits inside: at a load average of 60 a cold first request took a minute
@Timeout(300)
class CustomResourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestApiServer api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
        client = api.client();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A CronTab-like definition in its own group, so tests do not see each other's objects. */
    static String definition(String group) {
        return """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: crontabs.%s
                spec:
                  group: %s
                  scope: Namespaced
                  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct], categories: [all]}
                  versions:
                  - name: v1beta1
                    served: true
                    storage: false
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  - name: v1
                    served: true
                    storage: true
                    subresources:
                      status: {}
                      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas,
                              labelSelectorPath: .status.selector}
                    additionalPrinterColumns:
                    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
                    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            description: What to run and when.
                            required: [cronSpec]
                            properties:
                              cronSpec: {type: string, pattern: '^\\S+ \\S+ \\S+ \\S+ \\S+$'}
                              image: {type: string}
                              replicas: {type: integer, minimum: 0, maximum: 10, default: 1}
                              port: {x-kubernetes-int-or-string: true}
                              tags: {type: array, items: {type: string}}
                              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                          status:
                            type: object
                            properties:
                              replicas: {type: integer}
                              selector: {type: string}
                """.formatted(group, group);
    }

    static CustomResourceDefinition establish(KubernetesClient client, String group) {
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(definition(group),
                CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        await("the definition is established", () -> established(client, "crontabs." + group));
        return crd;
    }

    private static boolean established(KubernetesClient client, String name) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    }

    static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            crontabs(KubernetesClient client, String group, String version) {
        return client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup(group)
                .withVersion(version).withKind("CronTab").withPlural("crontabs").withNamespaced(true).build());
    }

    static GenericKubernetesResource cronTab(String group, String name, Map<String, Object> spec) {
        GenericKubernetesResource cr = new GenericKubernetesResource();
        cr.setApiVersion(group + "/v1");
        cr.setKind("CronTab");
        cr.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
        cr.setAdditionalProperty("spec", spec);
        return cr;
    }

    @Test
    void definitionStatusNamesAndStoredVersions() throws Exception {
        establish(client, "status.example.com");
        JsonNode crd = JSON.readTree(api.get(
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.status.example.com").body());
        JsonNode status = crd.path("status");
        assertThat(status.path("acceptedNames").path("kind").asText()).isEqualTo("CronTab");
        assertThat(status.path("acceptedNames").path("listKind").asText()).isEqualTo("CronTabList");
        assertThat(status.path("acceptedNames").path("shortNames").toString()).isEqualTo("[\"ct\"]");
        assertThat(status.path("storedVersions").toString()).isEqualTo("[\"v1\"]");
        assertThat(status.path("conditions").findValuesAsText("type")).contains("NamesAccepted", "Established");
    }

    @Test
    void discoveryListsTheResourceWithItsNamesAndSubresources() throws Exception {
        establish(client, "disco.example.com");
        JsonNode aggregated = JSON.readTree(api.request("GET", "/apis",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", null, null).body());
        JsonNode group = null;
        for (JsonNode item : aggregated.path("items")) {
            if (item.path("metadata").path("name").asText().equals("disco.example.com")) {
                group = item;
            }
        }
        assertThat(group).as("group in aggregated discovery").isNotNull();
        assertThat(group.path("versions").get(0).path("version").asText()).as("preferred version").isEqualTo("v1");
        JsonNode resource = group.path("versions").get(0).path("resources").get(0);
        assertThat(resource.path("resource").asText()).isEqualTo("crontabs");
        assertThat(resource.path("singularResource").asText()).isEqualTo("crontab");
        assertThat(resource.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(resource.path("shortNames").toString()).isEqualTo("[\"ct\"]");
        assertThat(resource.path("categories").toString()).isEqualTo("[\"all\"]");
        assertThat(resource.path("subresources").findValuesAsText("subresource")).containsExactly("status", "scale");

        JsonNode legacy = JSON.readTree(api.get("/apis/disco.example.com/v1").body());
        assertThat(legacy.path("resources").findValuesAsText("name"))
                .containsExactly("crontabs", "crontabs/status", "crontabs/scale");
        assertThat(JSON.readTree(api.get("/apis").body()).path("groups").findValuesAsText("name"))
                .contains("disco.example.com");
    }

    @Test
    void objectsAreDefaultedValidatedAndPruned() {
        String group = "valid.example.com";
        establish(client, group);
        var crontabs = crontabs(client, group, "v1").inNamespace("default");
        GenericKubernetesResource created = crontabs.resource(cronTab(group, "ok", Map.of("cronSpec", "* * * * */5",
                "port", "http", "bogus", 1, "extra", Map.of("kept", true)))).create();
        Map<String, Object> spec = created.get("spec");
        assertThat(spec).containsEntry("replicas", 1).containsEntry("port", "http")
                .containsEntry("extra", Map.of("kept", true)).doesNotContainKey("bogus");

        assertThatThrownBy(() -> crontabs.resource(cronTab(group, "bad", Map.of("cronSpec", "nope",
                "replicas", 20, "image", 5))).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getCauses()).extracting(c -> c.getField())
                            .containsExactlyInAnyOrder("spec.cronSpec", "spec.replicas", "spec.image");
                    assertThat(e.getStatus().getMessage()).startsWith("CronTab." + group + " \"bad\" is invalid");
                });
        assertThatThrownBy(() -> crontabs.resource(cronTab(group, "nospec", Map.of("image", "x"))).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(
                        e.getStatus().getDetails().getCauses().get(0).getField()).isEqualTo("spec.cronSpec"));

        TestApiServer.Response strict = api.request("POST", "/apis/" + group
                        + "/v1/namespaces/default/crontabs?fieldValidation=Strict", "application/json", "application/json",
                "{\"apiVersion\":\"" + group + "/v1\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"strict\"},"
                        + "\"spec\":{\"cronSpec\":\"* * * * *\",\"bogus\":1}}");
        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.body()).contains("unknown field \\\"spec.bogus\\\"");
    }

    @Test
    void versionsWithoutConversionDifferOnlyInApiVersion() {
        String group = "versions.example.com";
        establish(client, group);
        crontabs(client, group, "v1").inNamespace("default").resource(cronTab(group, "two",
                Map.of("cronSpec", "* * * * *"))).create();
        GenericKubernetesResource beta = crontabs(client, group, "v1beta1").inNamespace("default").withName("two").get();
        assertThat(beta.getApiVersion()).isEqualTo(group + "/v1beta1");
        assertThat((Map<String, Object>) beta.get("spec")).containsEntry("replicas", 1);
        assertThat(crontabs(client, group, "v1beta1").inNamespace("default").list().getItems())
                .extracting(GenericKubernetesResource::getApiVersion).containsOnly(group + "/v1beta1");
    }

    @Test
    void patchesApplyStatusAndScale() throws Exception {
        String group = "patch.example.com";
        establish(client, group);
        var crontabs = crontabs(client, group, "v1").inNamespace("default");
        crontabs.resource(cronTab(group, "p", Map.of("cronSpec", "* * * * *", "tags", List.of("a")))).create();
        String path = "/apis/" + group + "/v1/namespaces/default/crontabs/p";

        crontabs.withName("p").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}");
        crontabs.withName("p").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"add\",\"path\":\"/spec/tags/-\",\"value\":\"b\"}]");
        Map<String, Object> spec = crontabs.withName("p").get().get("spec");
        assertThat(spec).containsEntry("replicas", 3).containsEntry("tags", List.of("a", "b"));

        TestApiServer.Response smp = api.request("PATCH", path, "application/json",
                "application/strategic-merge-patch+json", "{\"spec\":{\"replicas\":4}}");
        assertThat(smp.status()).isEqualTo(415);
        assertThat(smp.body()).contains("application/merge-patch+json");

        String applied = "{\"apiVersion\":\"" + group + "/v1\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"applied\"},"
                + "\"spec\":{\"cronSpec\":\"%s\"}}";
        String applyPath = "/apis/" + group + "/v1/namespaces/default/crontabs/applied?fieldManager=me";
        assertThat(api.request("PATCH", applyPath, "application/json", "application/apply-patch+yaml",
                applied.formatted("1 * * * *")).status()).isEqualTo(201);
        assertThat(api.request("PATCH", applyPath, "application/json", "application/apply-patch+yaml",
                applied.formatted("2 * * * *")).status()).as("a second apply by the same manager").isEqualTo(200);
        assertThat((Map<String, Object>) crontabs.withName("applied").get().get("spec"))
                .containsEntry("cronSpec", "2 * * * *");

        // status is ignored on the main resource and written through /status
        crontabs.withName("p").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"replicas\":9}}");
        assertThat(crontabs.withName("p").get().getAdditionalProperties()).doesNotContainKey("status");
        assertThat(api.request("PATCH", path + "/status", "application/json", "application/merge-patch+json",
                "{\"status\":{\"replicas\":2,\"selector\":\"app=p\"}}").status()).isEqualTo(200);

        JsonNode scale = JSON.readTree(api.get(path + "/scale").body());
        assertThat(scale.path("kind").asText()).isEqualTo("Scale");
        assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(scale.path("status").path("replicas").asInt()).isEqualTo(2);
        assertThat(scale.path("status").path("selector").asText()).isEqualTo("app=p");
        assertThat(api.request("PATCH", path + "/scale", "application/json", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":5}}").status()).isEqualTo(200);
        assertThat((Map<String, Object>) crontabs.withName("p").get().get("spec")).containsEntry("replicas", 5);
    }

    @Test
    void tablesUsePrinterColumns() throws Exception {
        String group = "table.example.com";
        establish(client, group);
        crontabs(client, group, "v1").inNamespace("default").resource(cronTab(group, "t",
                Map.of("cronSpec", "* * * * */5"))).create();
        JsonNode table = JSON.readTree(api.request("GET", "/apis/" + group + "/v1/namespaces/default/crontabs",
                "application/json;as=Table;v=v1;g=meta.k8s.io", null, null).body());
        assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Spec", "Replicas");
        assertThat(table.path("rows").get(0).path("cells").toString()).isEqualTo("[\"t\",\"* * * * */5\",1]");
        JsonNode beta = JSON.readTree(api.request("GET", "/apis/" + group + "/v1beta1/namespaces/default/crontabs",
                "application/json;as=Table;v=v1;g=meta.k8s.io", null, null).body());
        assertThat(beta.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Age");
    }

    @Test
    void openApiDescribesTheResource() throws Exception {
        String group = "openapi.example.com";
        establish(client, group);
        JsonNode root = JSON.readTree(api.get("/openapi/v3").body());
        String url = root.path("paths").path("apis/" + group + "/v1").path("serverRelativeURL").asText();
        assertThat(url).startsWith("/openapi/v3/apis/" + group + "/v1?hash=");
        JsonNode doc = JSON.readTree(api.get(url).body());
        JsonNode schema = doc.path("components").path("schemas").path("com.example.openapi.v1.CronTab");
        assertThat(schema.path("properties").path("spec").toString()).contains("What to run and when.");
        JsonNode patch = doc.path("paths").path("/apis/" + group + "/v1/namespaces/{namespace}/crontabs/{name}")
                .path("patch");
        assertThat(patch.path("requestBody").path("content").fieldNames()).toIterable()
                .contains("application/merge-patch+json").doesNotContain("application/strategic-merge-patch+json");
        assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
    }

    @Test
    void deletingTheDefinitionDeletesItsObjectsFirst() {
        String group = "cleanup.example.com";
        establish(client, group);
        var crontabs = crontabs(client, group, "v1").inNamespace("default");
        crontabs.resource(cronTab(group, "plain", Map.of("cronSpec", "* * * * *"))).create();
        GenericKubernetesResource held = cronTab(group, "held", Map.of("cronSpec", "* * * * *"));
        held.getMetadata().setFinalizers(List.of("example.com/hold"));
        crontabs.resource(held).create();

        client.apiextensions().v1().customResourceDefinitions().withName("crontabs." + group).delete();
        await("the unfinalized object is gone", () -> crontabs.withName("plain").get() == null);
        CustomResourceDefinition terminating = client.apiextensions().v1().customResourceDefinitions()
                .withName("crontabs." + group).get();
        assertThat(terminating.getMetadata().getFinalizers()).contains(CustomResourceDefinitions.CLEANUP_FINALIZER);
        assertThat(terminating.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Terminating"));
        assertThat(crontabs.withName("held").get().getMetadata().getDeletionTimestamp()).isNotNull();
        assertThatThrownBy(() -> crontabs.resource(cronTab(group, "late", Map.of("cronSpec", "* * * * *"))).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(405));

        crontabs.withName("held").edit(cr -> {
            cr.getMetadata().setFinalizers(List.of());
            return cr;
        });
        await("the definition is gone", () -> client.apiextensions().v1().customResourceDefinitions()
                .withName("crontabs." + group).get() == null);
        await("the resource is no longer served", () -> api.get("/apis/" + group + "/v1").status() == 404);
    }

    @Test
    void customResourcesSurviveARestart() {
        try (TestApiServer own = TestApiServer.start()) {
            String group = "restart.example.com";
            establish(own.client(), group);
            crontabs(own.client(), group, "v1").inNamespace("default").resource(cronTab(group, "kept",
                    Map.of("cronSpec", "* * * * *"))).create();
            own.restart();
            GenericKubernetesResource kept = crontabs(own.client(), group, "v1").inNamespace("default")
                    .withName("kept").get();
            assertThat(kept).isNotNull();
            assertThat((Map<String, Object>) kept.get("spec")).containsEntry("replicas", 1);
        }
    }
}
