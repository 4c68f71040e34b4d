package dev.konductor.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultStorageClassTest {

    private static final Admission.Request INTERNAL = Admission.Request.internal(false);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ResourceType claims = ResourceRegistry.builtIn().byPlural("", "v1", "persistentvolumeclaims")
            .orElseThrow();
    private final List<JsonNode> classes = new ArrayList<>();
    private final DefaultStorageClass admission = new DefaultStorageClass(() -> classes);

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void storageClass(String name, boolean isDefault, String created) {
        classes.add(json("{'metadata':{'name':'" + name + "','creationTimestamp':'" + created + "',"
                + "'annotations':{'storageclass.kubernetes.io/is-default-class':'" + isDefault + "'}}}"));
    }

    private ObjectNode admitted(String claim) {
        ObjectNode obj = json(claim);
        admission.admit(Admission.Operation.CREATE, claims, obj, null, INTERNAL);
        return obj;
    }

    @Test
    void claimWithoutClassGetsTheDefault() {
        storageClass("fast", false, "2025-01-01T00:00:00Z");
        storageClass("standard", true, "2025-01-01T00:00:00Z");
        assertThat(admitted("{'spec':{}}").at("/spec/storageClassName").asText()).isEqualTo("standard");
    }

    @Test
    void emptyClassMeansNoClassAndIsKept() {
        storageClass("standard", true, "2025-01-01T00:00:00Z");
        assertThat(admitted("{'spec':{'storageClassName':''}}").at("/spec/storageClassName").asText()).isEmpty();
        assertThat(admitted("{'metadata':{'annotations':{'volume.beta.kubernetes.io/storage-class':'old'}},'spec':{}}")
                .at("/spec/storageClassName").isMissingNode()).isTrue();
    }

    @Test
    void newestOfSeveralDefaultsWins() {
        storageClass("old", true, "2024-01-01T00:00:00Z");
        storageClass("new", true, "2025-03-01T00:00:00Z");
        assertThat(admitted("{'spec':{}}").at("/spec/storageClassName").asText()).isEqualTo("new");
    }

    @Test
    void withoutADefaultTheClaimStaysClassless() {
        storageClass("fast", false, "2025-01-01T00:00:00Z");
        assertThat(admitted("{'spec':{}}").at("/spec/storageClassName").isMissingNode()).isTrue();
    }
}
