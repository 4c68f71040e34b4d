package dev.konductor.apiserver.printers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in kind against realistic objects: the fixtures in {@code printers/*.json} give the
 * column names in order ({@code *} marks an {@code -o wide} column) and, per object, the exact
 * cells {@code kubectl get} would print, measured at {@link #NOW}.
 */
class KindPrintersTest {

    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TablePrinter PRINTER = new TablePrinter();

    static Stream<String> fixtures() {
        return Stream.of("pods", "nodes", "namespaces", "services", "endpoints", "configmaps", "secrets",
                "serviceaccounts", "events", "events-v1", "persistentvolumes", "persistentvolumeclaims",
                "resourcequotas", "limitranges", "replicationcontrollers", "podtemplates", "deployments",
                "replicasets", "statefulsets", "daemonsets", "controllerrevisions", "jobs", "cronjobs",
                "horizontalpodautoscalers", "horizontalpodautoscalers-v1", "poddisruptionbudgets", "leases",
                "endpointslices", "ingresses", "ingressclasses", "networkpolicies", "roles", "rolebindings",
                "clusterrolebindings", "priorityclasses", "storageclasses", "customresourcedefinitions");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void columnsAreUpstreamsInOrderWithWideOnesMarked(String fixture) throws IOException {
        JsonNode spec = load(fixture);

        List<String> columns = new ArrayList<>();
        for (ColumnDefinition column : PRINTER.columns(type(spec.get("type")))) {
            columns.add(column.name() + (column.priority() > 0 ? "*" : ""));
        }

        assertThat(columns).containsExactlyElementsOf(texts(spec.get("columns")));
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String fixture : fixtures().toList()) {
            JsonNode spec = load(fixture);
            int i = 0;
            for (JsonNode c : spec.get("cases")) {
                String about = c.has("about") ? c.get("about").asText() : c.at("/object/metadata/name").asText();
                out.add(Arguments.of(fixture + " #" + i++ + ": " + about, spec.get("type"), c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cellsAreWhatKubectlPrints(String name, JsonNode type, JsonNode testCase) {
        ObjectNode table = PRINTER.table(type(type), List.of((ObjectNode) testCase.get("object")), "7", null, null,
                IncludeObject.METADATA, NOW);

        JsonNode row = table.at("/rows/0");
        assertThat(row.get("cells")).isEqualTo(testCase.get("cells"));
        if (testCase.has("conditions")) {
            assertThat(row.get("conditions")).isEqualTo(testCase.get("conditions"));
        } else {
            assertThat(row.has("conditions")).isFalse();
        }
    }

    static ResourceType type(JsonNode type) {
        String group = type.get("group").asText();
        String version = type.get("version").asText();
        String kind = type.get("kind").asText();
        String plural = kind.toLowerCase(Locale.ROOT) + "s";
        return new ResourceType(group, version, kind, plural, kind.toLowerCase(Locale.ROOT), true, List.of(), List.of(),
                List.of(), plural, new GroupVersionKind(group, version, kind), null, Set.of("list"));
    }

    private static JsonNode load(String fixture) throws IOException {
        try (InputStream in = KindPrintersTest.class.getResourceAsStream("/printers/" + fixture + ".json")) {
            assertThat(in).as("fixture %s", fixture).isNotNull();
            return JSON.readTree(in);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
