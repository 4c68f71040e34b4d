package dev.konductor.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts: version order, what a definition serves, the status it gets. */
class DefinitionRulesTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void versionsSortByStabilityThenNumber() {
        List<String> versions = new ArrayList<>(List.of("v1alpha1", "v1beta1", "foo", "v1", "v2beta3", "v2", "v11alpha2",
                "v1beta2", "bar"));
        versions.sort(VersionPriority.INSTANCE);
        assertThat(versions).containsExactly("v2", "v1", "v2beta3", "v1beta2", "v1beta1", "v11alpha2", "v1alpha1",
                "bar", "foo");
    }

    @Test
    void servedVersionsCarryTypeScaleAndColumns() throws Exception {
        JsonNode crd = YAML.readTree(CustomResourcesTest.definition("rules.example.com"));
        List<ServedVersion> served = ServedVersion.of(crd);
        assertThat(served).extracting(v -> v.type().version()).containsExactly("v1", "v1beta1");
        ServedVersion v1 = served.get(0);
        assertThat(v1.type().isStorageVersion()).isTrue();
        assertThat(v1.type().storageKey()).isEqualTo("rules.example.com/crontabs");
        assertThat(v1.type().subresources()).containsExactly("status", "scale");
        assertThat(v1.type().shortNames()).containsExactly("ct");
        assertThat(v1.scale().labelSelector()).isEqualTo(".status.selector");
        assertThat(v1.columns()).extracting(c -> c.name()).containsExactly("Spec", "Replicas");
        ServedVersion beta = served.get(1);
        assertThat(beta.type().isStorageVersion()).isFalse();
        assertThat(beta.type().storageVersion().version()).isEqualTo("v1");
        assertThat(beta.scale()).isNull();
        assertThat(beta.columns()).isEmpty();
    }

    @Test
    void unservedVersionsAreNotRegistered() throws Exception {
        ObjectNode crd = (ObjectNode) YAML.readTree(CustomResourcesTest.definition("rules.example.com"));
        ((ObjectNode) crd.path("spec").path("versions").get(0)).put("served", false);
        assertThat(ServedVersion.of(crd)).extracting(v -> v.type().version()).containsExactly("v1");
    }

    @Test
    void statusAcceptsNamesEstablishesAndRecordsTheStorageVersion() throws Exception {
        ObjectNode crd = (ObjectNode) YAML.readTree(CustomResourcesTest.definition("rules.example.com"));
        ((ObjectNode) crd.path("spec").path("names")).remove("singular");
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        ObjectNode status = DefinitionStatus.desired(crd, t0);
        assertThat(status.path("acceptedNames").path("singular").asText()).isEqualTo("crontab");
        assertThat(status.path("acceptedNames").path("listKind").asText()).isEqualTo("CronTabList");
        assertThat(status.path("conditions").findValuesAsText("type")).containsExactly("NamesAccepted", "Established");
        assertThat(status.path("conditions").findValuesAsText("reason"))
                .containsExactly("NoConflicts", "InitialNamesAccepted");
        assertThat(status.path("storedVersions").toString()).isEqualTo("[\"v1\"]");

        crd.set("status", status);
        assertThat(DefinitionStatus.desired(crd, t0.plusSeconds(60))).as("nothing left to write").isNull();

        // a new storage version is added, the old one stays recorded
        for (JsonNode v : crd.path("spec").path("versions")) {
            ((ObjectNode) v).put("storage", v.path("name").asText().equals("v1beta1"));
        }
        ObjectNode next = DefinitionStatus.desired(crd, t0.plusSeconds(60));
        assertThat(next.path("storedVersions").toString()).isEqualTo("[\"v1\",\"v1beta1\"]");
        assertThat(next.path("conditions").get(0).path("lastTransitionTime").asText())
                .as("an unchanged condition keeps its transition time").isEqualTo(t0.toString());
    }
}
