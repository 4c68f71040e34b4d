package dev.konductor.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * metrics.k8s.io readings, reported by node agents, kept in memory and read as upstream's
 * metrics-server serves them.
 */
@Timeout(60)
class MetricsObjectsTest {

    private static final ResourceDefinitionContext NODE_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withKind("NodeMetrics").withPlural("nodes")
            .withNamespaced(false).build();
    private static final ResourceDefinitionContext POD_METRICS = new ResourceDefinitionContext.Builder()
            .withGroup("metrics.k8s.io").withVersion("v1beta1").withKind("PodMetrics").withPlural("pods")
            .withNamespaced(true).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PODS = "/apis/metrics.k8s.io/v1beta1/namespaces/%s/pods";

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

    private static String nodeMetrics(String name, String cpu) {
        return "{\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"kind\":\"NodeMetrics\",\"metadata\":{\"name\":\"" + name
                + "\"},\"timestamp\":\"2026-12-07T05:00:00Z\",\"window\":\"15s\",\"usage\":{\"cpu\":\"" + cpu
                + "\",\"memory\":\"1Gi\"}}";
    }

    private static String podMetrics(String namespace, String name, String app) {
        return "{\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"kind\":\"PodMetrics\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\",\"labels\":{\"app\":\"" + app + "\"}},"
                + "\"timestamp\":\"2026-12-07T05:00:00Z\",\"window\":\"15s\",\"containers\":[{\"name\":\"c\","
                + "\"usage\":{\"cpu\":\"5m\",\"memory\":\"10Mi\"}}]}";
    }

    private static TestApiServer.Response put(String path, String body) {
        return api.request("PUT", path, "application/json", "application/json", body);
    }

    @Test
    void aReportIsStoredWhetherOrNotOneWasThereAndCarriesNothingOfAStoredObject() {
        TestApiServer.Response first = put("/apis/metrics.k8s.io/v1beta1/nodes/n1", nodeMetrics("n1", "100m"));
        assertThat(first.status()).isEqualTo(201);
        TestApiServer.Response second = put("/apis/metrics.k8s.io/v1beta1/nodes/n1", nodeMetrics("n1", "250m"));
        assertThat(second.status()).isEqualTo(200);

        GenericKubernetesResource read = client.genericKubernetesResources(NODE_METRICS).withName("n1").get();
        assertThat(read.<String>get("usage", "cpu")).isEqualTo("250m");
        assertThat(read.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(read.getMetadata().getResourceVersion()).isNull();
        assertThat(read.getMetadata().getCreationTimestamp()).isNotNull();

        // never in the store, so never in a watch, never compacted, gone at a restart
        assertThat(api.store().count("/registry/metrics.k8s.io/")).isZero();
    }

    @Test
    void listsSelectByNamespaceLabelsAndName() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
                .create();
        assertThat(put(PODS.formatted("shop") + "/web-1", podMetrics("shop", "web-1", "web")).status()).isEqualTo(201);
        assertThat(put(PODS.formatted("shop") + "/web-2", podMetrics("shop", "web-2", "web")).status()).isEqualTo(201);
        assertThat(put(PODS.formatted("shop") + "/db-1", podMetrics("shop", "db-1", "db")).status()).isEqualTo(201);

        assertThat(names(client.genericKubernetesResources(POD_METRICS).inNamespace("shop").withLabel("app", "web")
                .list().getItems())).containsExactly("web-1", "web-2");
        assertThat(names(client.genericKubernetesResources(POD_METRICS).inNamespace("shop")
                .withField("metadata.name", "db-1").list().getItems())).containsExactly("db-1");
        assertThat(names(client.genericKubernetesResources(POD_METRICS).inAnyNamespace().list().getItems()))
                .contains("web-1", "web-2", "db-1");

        TestApiServer.Response table = api.request("GET", PODS.formatted("shop"),
                "application/json;as=Table;v=v1;g=meta.k8s.io", null, null);
        assertThat(table.status()).isEqualTo(200);
        assertThat(table.body()).contains("\"kind\":\"Table\"").contains("web-1");

        // a namespace's deletion takes its readings with it
        assertThat(api.request("DELETE", PODS.formatted("shop"), "application/json", "application/json", "{}")
                .status()).isEqualTo(200);
        assertThat(client.genericKubernetesResources(POD_METRICS).inNamespace("shop").list().getItems()).isEmpty();
    }

    @Test
    void aMissingReadingIsNotFoundAsMetricsServerSaysIt() {
        TestApiServer.Response missing = api.get(PODS.formatted("default") + "/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("podmetrics.metrics.k8s.io \\\"default/nope\\\" not found");
        assertThat(api.get("/apis/metrics.k8s.io/v1beta1/nodes/nope").body())
                .contains("nodemetrics.metrics.k8s.io \\\"nope\\\" not found");
    }

    @Test
    void readingsCannotBeWatchedOrPatched() {
        assertThat(api.get(PODS.formatted("default") + "?watch=true").status()).isEqualTo(405);
        assertThat(api.request("PATCH", "/apis/metrics.k8s.io/v1beta1/nodes/n1", "application/json",
                "application/merge-patch+json", "{}").status()).isEqualTo(405);
    }

    @Test
    void discoveryOffersNoWatchSoThatWatchersOfEveryResourcePassThemBy() throws Exception {
        List<String> served = List.of("create", "delete", "deletecollection", "get", "list", "update");
        JsonNode legacy = JSON.readTree(api.get("/apis/metrics.k8s.io/v1beta1").body());
        for (JsonNode resource : legacy.get("resources")) {
            assertThat(texts(resource.get("verbs"))).as(resource.get("name").asText()).isEqualTo(served);
        }
        JsonNode aggregated = JSON.readTree(api.request("GET", "/apis",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", null, null).body());
        JsonNode group = null;
        for (JsonNode item : aggregated.get("items")) {
            if (item.at("/metadata/name").asText().equals("metrics.k8s.io")) {
                group = item;
            }
        }
        assertThat(group).isNotNull();
        for (JsonNode resource : group.at("/versions/0/resources")) {
            assertThat(texts(resource.get("verbs"))).as(resource.get("resource").asText()).isEqualTo(served);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    @Test
    void aReadingGoesOnlyIntoANamespaceThatExistsUnderTheNameOfItsUrl() {
        TestApiServer.Response nowhere = put(PODS.formatted("no-such-namespace") + "/p",
                podMetrics("no-such-namespace", "p", "x"));
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.body()).contains("namespaces \\\"no-such-namespace\\\" not found");

        TestApiServer.Response renamed = put(PODS.formatted("default") + "/other", podMetrics("default", "p", "x"));
        assertThat(renamed.status()).isEqualTo(400);
        assertThat(renamed.body()).contains("does not match the name on the URL");

        TestApiServer.Response wrongKind = put("/apis/metrics.k8s.io/v1beta1/nodes/n2",
                podMetrics("default", "n2", "x"));
        assertThat(wrongKind.status()).isEqualTo(400);
    }

    @Test
    void readingsAnEarlierVersionStoredAreDroppedAtStart() {
        api.store().create("/registry/metrics.k8s.io/nodes/stale",
                nodeMetrics("stale", "1m").getBytes(StandardCharsets.UTF_8));
        api.restart();
        client = api.client();
        assertThat(api.store().count("/registry/metrics.k8s.io/")).isZero();
        assertThat(api.get("/apis/metrics.k8s.io/v1beta1/nodes/stale").status()).isEqualTo(404);
    }

    private static List<String> names(List<GenericKubernetesResource> items) {
        return items.stream().map(r -> r.getMetadata().getName()).toList();
    }
}
