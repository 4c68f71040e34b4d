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

class DefaultIngressClassTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ResourceType ingresses = ResourceRegistry.builtIn().byPlural("networking.k8s.io", "v1", "ingresses")
            .orElseThrow();
    private final List<JsonNode> classes = new ArrayList<>();
    private final DefaultIngressClass admission = new DefaultIngressClass(() -> classes);

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void ingressClass(String name, String isDefault, String created) {
        classes.add(json("{'metadata':{'name':'" + name + "','creationTimestamp':'" + created + "',"
                + "'annotations':{'ingressclass.kubernetes.io/is-default-class':'" + isDefault + "'}}}"));
    }

    private ObjectNode admitted(Admission.Operation operation, String ingress) {
        ObjectNode obj = json(ingress);
        admission.admit(operation, ingresses, obj, operation == Admission.Operation.CREATE ? null : json("{}"),
                Admission.Request.internal(false));
        return obj;
    }

    @Test
    void anIngressWithoutClassGetsTheDefault() {
        ingressClass("nginx", "false", "2025-01-01T00:00:00Z");
        ingressClass("konductor", "true", "2025-01-01T00:00:00Z");

        assertThat(admitted(Admission.Operation.CREATE, "{'spec':{}}").at("/spec/ingressClassName").asText())
                .isEqualTo("konductor");
    }

    @Test
    void aClassNamedInTheSpecOrTheOldAnnotationIsKept() {
        ingressClass("konductor", "true", "2025-01-01T00:00:00Z");

        assertThat(admitted(Admission.Operation.CREATE, "{'spec':{'ingressClassName':'nginx'}}")
                .at("/spec/ingressClassName").asText()).isEqualTo("nginx");
        assertThat(admitted(Admission.Operation.CREATE, "{'metadata':{'annotations':{'kubernetes.io/ingress.class':'nginx'}},'spec':{}}")
                .at("/spec/ingressClassName").isMissingNode()).isTrue();
    }

    @Test
    void theNewestOfSeveralDefaultsWinsAndTheFirstByNameAmongEquals() {
        ingressClass("old", "true", "2024-01-01T00:00:00Z");
        ingressClass("new-b", "true", "2025-03-01T00:00:00Z");
        ingressClass("new-a", "true", "2025-03-01T00:00:00Z");

        assertThat(admitted(Admission.Operation.CREATE, "{'spec':{}}").at("/spec/ingressClassName").asText())
                .isEqualTo("new-a");
    }

    @Test
    void withoutADefaultOrOnUpdateTheIngressStaysClassless() {
        ingressClass("nginx", "false", "2025-01-01T00:00:00Z");
        assertThat(admitted(Admission.Operation.CREATE, "{'spec':{}}").at("/spec/ingressClassName").isMissingNode()).isTrue();

        ingressClass("konductor", "true", "2025-01-01T00:00:00Z");
        assertThat(admitted(Admission.Operation.UPDATE, "{'spec':{}}").at("/spec/ingressClassName").isMissingNode()).isTrue();
    }
}
