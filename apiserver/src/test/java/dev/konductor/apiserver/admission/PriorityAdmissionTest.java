package dev.konductor.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriorityAdmissionTest {

    private static final Admission.Request INTERNAL = Admission.Request.internal(false);

    private final ObjectMapper mapper = new ObjectMapper();
    private final ResourceRegistry registry = ResourceRegistry.builtIn();
    private final ResourceType pods = registry.byPlural("", "v1", "pods").orElseThrow();
    private final ResourceType priorityClasses = registry.byPlural("scheduling.k8s.io", "v1", "priorityclasses")
            .orElseThrow();
    private final List<JsonNode> classes = new ArrayList<>();
    private final PriorityAdmission admission = new PriorityAdmission(
            name -> classes.stream().filter(c -> c.path("metadata").path("name").asText().equals(name)).findFirst()
                    .orElse(null),
            () -> classes);

    private ObjectNode json(String text) {
        try {
            return (ObjectNode) mapper.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ObjectNode priorityClass(String name, int value, boolean globalDefault, String policy) {
        return json("{'metadata':{'name':'" + name + "'},'value':" + value + ",'globalDefault':" + globalDefault
                + ",'preemptionPolicy':'" + policy + "'}");
    }

    @Test
    void resolvesTheClassIntoPriorityAndPolicy() {
        classes.add(priorityClass("high", 1000, false, "Never"));
        ObjectNode pod = json("{'metadata':{'name':'p'},'spec':{'priorityClassName':'high'}}");
        admission.admit(Admission.Operation.CREATE, pods, pod, null, INTERNAL);
        assertThat(pod.path("spec").path("priority").asInt()).isEqualTo(1000);
        assertThat(pod.path("spec").path("preemptionPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void unknownClassIsForbiddenWithUpstreamsMessage() {
        ObjectNode pod = json("{'metadata':{'name':'p'},'spec':{'priorityClassName':'nope'}}");
        assertThatThrownBy(() -> admission.admit(Admission.Operation.CREATE, pods, pod, null, INTERNAL))
                .isInstanceOf(StatusException.class)
                .hasMessage("pods \"p\" is forbidden: no PriorityClass with name nope was found");
    }

    @Test
    void contradictingPriorityIsForbidden() {
        classes.add(priorityClass("high", 1000, false, "PreemptLowerPriority"));
        ObjectNode pod = json("{'metadata':{'name':'p'},'spec':{'priorityClassName':'high','priority':5}}");
        assertThatThrownBy(() -> admission.admit(Admission.Operation.CREATE, pods, pod, null, INTERNAL))
                .hasMessage("pods \"p\" is forbidden: the integer value of priority (5) must not be provided in pod "
                        + "spec; priority admission controller computed 1000 from the given PriorityClass name");
    }

    @Test
    void globalDefaultAppliesToPodsWithoutAClass() {
        classes.add(priorityClass("default-prio", 7, true, "PreemptLowerPriority"));
        ObjectNode pod = json("{'metadata':{'name':'p'},'spec':{'priority':0}}");
        admission.admit(Admission.Operation.CREATE, pods, pod, null, INTERNAL);
        assertThat(pod.path("spec").path("priority").asInt()).isEqualTo(7);
        assertThat(pod.path("spec").path("priorityClassName").asText()).isEqualTo("default-prio");
    }

    @Test
    void onlyOneGlobalDefault() {
        classes.add(priorityClass("first", 7, true, "PreemptLowerPriority"));
        ObjectNode second = priorityClass("second", 8, true, "PreemptLowerPriority");
        assertThatThrownBy(() -> admission.admit(Admission.Operation.CREATE, priorityClasses, second, null, INTERNAL))
                .hasMessageContaining("PriorityClass first is already marked as default. Only one default can exist");
    }

    @Test
    void updatesKeepThePriority() {
        ObjectNode old = json("{'metadata':{'name':'p'},'spec':{'priority':1000,'preemptionPolicy':'Never'}}");
        ObjectNode pod = json("{'metadata':{'name':'p'},'spec':{}}");
        admission.admit(Admission.Operation.UPDATE, pods, pod, old, INTERNAL);
        assertThat(pod.path("spec").path("priority").asInt()).isEqualTo(1000);
    }
}
