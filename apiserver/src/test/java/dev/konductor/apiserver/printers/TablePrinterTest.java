package dev.konductor.apiserver.printers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePrinterTest {

    private static final Instant NOW = KindPrintersTest.NOW;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TablePrinter printer = new TablePrinter();

    private static ObjectNode object(String json) throws IOException {
        return (ObjectNode) JSON.readTree(json);
    }

    private static final String CONFIG_MAP = """
            {"metadata":{"name":"cfg","namespace":"team-a","labels":{"app":"web"},
              "creationTimestamp":"2024-05-01T11:00:00Z"},"data":{"k":"v"}}""";

    @Test
    void tableHasUpstreamsEnvelopeAndListMetadata() throws IOException {
        ObjectNode table = printer.table(configMaps(), List.of(object(CONFIG_MAP)), "1234", "next-page", 17L,
                IncludeObject.METADATA, NOW);

        assertThat(table.get("kind").asText()).isEqualTo("Table");
        assertThat(table.get("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.get("metadata").toString())
                .isEqualTo("{\"resourceVersion\":\"1234\",\"continue\":\"next-page\",\"remainingItemCount\":17}");
        assertThat(table.at("/columnDefinitions/0")).isEqualTo(JSON.readTree("""
                {"name":"Name","type":"string","format":"name",
                 "description":"The object's name, unique within its namespace.","priority":0}"""));
        assertThat(table.at("/columnDefinitions/1/type").asText()).isEqualTo("integer");
    }

    @Test
    void emptyListsStillCarryColumnsAndResourceVersion() {
        ObjectNode table = printer.table(configMaps(), List.of(), "9", null, null, IncludeObject.METADATA, NOW);

        assertThat(table.get("rows")).isEmpty();
        assertThat(table.get("columnDefinitions")).hasSize(3);
        assertThat(table.get("metadata")).isEqualTo(JSON.createObjectNode().put("resourceVersion", "9"));
    }

    /** kubectl reads NAMESPACE (-A) and -L label columns from the row's object. */
    @Test
    void metadataRowsCarryPartialObjectMetadata() throws IOException {
        ObjectNode table = printer.table(configMaps(), List.of(object(CONFIG_MAP)), "1", null, null,
                IncludeObject.METADATA, NOW);

        assertThat(table.at("/rows/0/object")).isEqualTo(JSON.readTree("""
                {"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",
                 "metadata":{"name":"cfg","namespace":"team-a","labels":{"app":"web"},
                   "creationTimestamp":"2024-05-01T11:00:00Z"}}"""));
    }

    /** --sort-by asks for whole objects and needs kind and apiVersion in them. */
    @Test
    void objectRowsCarryTheWholeObjectWithTypeMetaWithoutTouchingTheInput() throws IOException {
        ObjectNode input = object(CONFIG_MAP);

        ObjectNode table = printer.table(configMaps(), List.of(input), "1", null, null, IncludeObject.OBJECT, NOW);

        JsonNode row = table.at("/rows/0/object");
        assertThat(row.get("kind").asText()).isEqualTo("ConfigMap");
        assertThat(row.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(row.at("/data/k").asText()).isEqualTo("v");
        assertThat(input.has("kind")).isFalse();
    }

    @Test
    void noneLeavesTheRowObjectNull() throws IOException {
        ObjectNode table = printer.table(configMaps(), List.of(object(CONFIG_MAP)), "1", null, null,
                IncludeObject.NONE, NOW);

        assertThat(table.at("/rows/0/object").isNull()).isTrue();
        assertThat(table.at("/rows/0/cells")).isEqualTo(JSON.readTree("[\"cfg\",1,\"60m\"]"));
    }

    @Test
    void includeObjectParsesTheQueryParameter() {
        assertThat(IncludeObject.parse(null)).isEqualTo(IncludeObject.METADATA);
        assertThat(IncludeObject.parse("Object")).isEqualTo(IncludeObject.OBJECT);
        assertThat(IncludeObject.parse("None")).isEqualTo(IncludeObject.NONE);
        assertThatThrownBy(() -> IncludeObject.parse("object"))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    private static final String CRON_TAB = """
            {"apiVersion":"stable.example.com/v1","kind":"CronTab",
             "metadata":{"name":"nightly","creationTimestamp":"2024-05-01T10:00:00Z"},
             "spec":{"cronSpec":"0 3 * * *","replicas":2,"image":"backup:1","env":{"A":"1"},"ratio":0.5,"paused":false},
             "status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True",
               "lastTransitionTime":"2024-05-01T11:30:00Z"}]}}""";

    @Test
    void customResourcesGetTheirCrdColumnsAfterTheName() throws IOException {
        List<ColumnSpec> columns = List.of(
                new ColumnSpec("Spec", "string", "", "The cron spec.", 0, ".spec.cronSpec"),
                new ColumnSpec("Replicas", "integer", "", "", 0, ".spec.replicas"),
                new ColumnSpec("Ready", "string", "", "", 0, ".status.conditions[?(@.type==\"Ready\")].status"),
                new ColumnSpec("Since", "date", "", "", 0, ".status.conditions[?(@.type=='Ready')].lastTransitionTime"),
                new ColumnSpec("Ratio", "number", "", "", 1, "{.spec.ratio}"),
                new ColumnSpec("Paused", "boolean", "", "", 1, ".spec.paused"),
                new ColumnSpec("Env", "string", "", "", 1, ".spec.env"),
                new ColumnSpec("Missing", "string", "", "", 1, ".spec.nothing"),
                new ColumnSpec("Wrong type", "integer", "", "", 1, ".spec.image"));

        ObjectNode table = printer.customTable(columns, List.of(object(CRON_TAB)), "5", null, null,
                IncludeObject.METADATA, NOW);

        assertThat(table.at("/columnDefinitions/0/name").asText()).isEqualTo("Name");
        assertThat(table.at("/columnDefinitions/5/priority").asInt()).isEqualTo(1);
        assertThat(table.at("/rows/0/cells")).isEqualTo(JSON.readTree(
                "[\"nightly\",\"0 3 * * *\",2,\"True\",\"30m\",0.5,false,\"{\\\"A\\\":\\\"1\\\"}\",null,null]"));
    }

    @Test
    void customResourcesWithoutColumnsShowTheirAge() throws IOException {
        ObjectNode table = printer.customTable(List.of(), List.of(object(CRON_TAB)), "5", null, null,
                IncludeObject.METADATA, NOW);

        assertThat(table.at("/columnDefinitions/1/name").asText()).isEqualTo("Age");
        assertThat(table.at("/rows/0/cells")).isEqualTo(JSON.readTree("[\"nightly\",\"120m\"]"));
    }

    @Test
    void unsupportedJsonPathIsRejectedWithItsPosition() {
        assertThatThrownBy(() -> printer.customTable(
                List.of(new ColumnSpec("X", "string", "", "", 0, "..spec")), List.of(), null, null, null,
                IncludeObject.METADATA, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recursive descent");
    }

    @Test
    void jsonPathSupportsIndexesWildcardsQuotedAndEscapedKeys() throws IOException {
        JsonNode pod = JSON.readTree("""
                {"metadata":{"labels":{"app.kubernetes.io/name":"web"}},
                 "spec":{"containers":[{"name":"a","ready":true},{"name":"b"}]}}""");

        assertThat(JsonPath.compile(".spec.containers[-1].name").find(pod)).extracting(JsonNode::asText)
                .containsExactly("b");
        assertThat(JsonPath.compile(".spec.containers[*].name").find(pod)).extracting(JsonNode::asText)
                .containsExactly("a", "b");
        assertThat(JsonPath.compile(".spec.containers[?(@.ready)].name").find(pod)).extracting(JsonNode::asText)
                .containsExactly("a");
        assertThat(JsonPath.compile(".spec.containers[?(@.name!='a')].name").find(pod)).extracting(JsonNode::asText)
                .containsExactly("b");
        assertThat(JsonPath.compile(".metadata.labels['app.kubernetes.io/name']").find(pod)).extracting(JsonNode::asText)
                .containsExactly("web");
        assertThat(JsonPath.compile(".metadata.labels.app\\.kubernetes\\.io/name").find(pod))
                .extracting(JsonNode::asText).containsExactly("web");
        assertThat(JsonPath.compile(".spec.containers[5].name").find(pod)).isEmpty();
    }

    private static ResourceType configMaps() {
        return KindPrintersTest.type(JSON.createObjectNode().put("group", "").put("version", "v1").put("kind", "ConfigMap"));
    }
}
