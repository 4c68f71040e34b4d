package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Upstream's Priority admission plugin: a new pod's spec.priorityClassName is resolved into
 * spec.priority and spec.preemptionPolicy (a pod without one gets the globalDefault class, if
 * any, else priority 0); an unknown class, or a priority or policy that contradicts the class,
 * is refused with 403. Updates keep the priority the pod was created with. A PriorityClass may
 * only be made globalDefault while no other class is.
 */
public final class PriorityAdmission implements Admission {

    private final Function<String, JsonNode> classes;
    private final Supplier<List<JsonNode>> allClasses;

    /**
     * @param classes    a PriorityClass by name (null if absent)
     * @param allClasses every PriorityClass (to find the global default)
     */
    public PriorityAdmission(Function<String, JsonNode> classes, Supplier<List<JsonNode>> allClasses) {
        this.classes = classes;
        this.allClasses = allClasses;
    }

    @Override
    public void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request) {
        if (type.kind().equals("Pod") && type.group().isEmpty()) {
            if (operation == Operation.CREATE) {
                admitNewPod(obj);
            } else if (operation == Operation.UPDATE && old != null) {
                keepPriority(obj, old);
            }
        } else if (type.kind().equals("PriorityClass") && type.group().equals("scheduling.k8s.io")
                && operation != Operation.DELETE) {
            checkSingleDefault(operation, obj);
        }
    }

    private void admitNewPod(ObjectNode pod) {
        ObjectNode spec = pod.withObject("spec");
        String className = spec.path("priorityClassName").asText("");
        if (className.isEmpty()) {
            // defaulting has put priority 0 into a pod that names no class, so a 0 here is not the
            // user's: only a different non-zero value contradicts what this plugin computes
            JsonNode global = globalDefault();
            int computed = global == null ? 0 : global.path("value").asInt();
            JsonNode given = spec.path("priority");
            if (given.isNumber() && given.asInt() != 0 && given.asInt() != computed) {
                throw forbidden(pod, "the integer value of priority (" + given.asInt() + ") must not be provided in "
                        + "pod spec; priority admission controller computed " + computed
                        + " from the given PriorityClass name");
            }
            if (global != null) {
                spec.put("priorityClassName", global.path("metadata").path("name").asText());
                spec.put("priority", computed);
                spec.put("preemptionPolicy", global.path("preemptionPolicy").asText("PreemptLowerPriority"));
            }
            return;
        }
        JsonNode pc = classes.apply(className);
        if (pc == null) {
            throw forbidden(pod, "no PriorityClass with name " + className + " was found");
        }
        int priority = pc.path("value").asInt();
        String policy = pc.path("preemptionPolicy").asText("PreemptLowerPriority");
        JsonNode given = spec.path("priority");
        if (given.isNumber() && given.asInt() != priority) {
            throw forbidden(pod, "the integer value of priority (" + given.asInt() + ") must not be provided in pod "
                    + "spec; priority admission controller computed " + priority + " from the given PriorityClass name");
        }
        spec.put("priority", priority);
        String givenPolicy = spec.path("preemptionPolicy").asText("");
        if (!givenPolicy.isEmpty() && !givenPolicy.equals(policy)) {
            throw forbidden(pod, "the string value of PreemptionPolicy (" + givenPolicy + ") must not be provided in "
                    + "pod spec; priority admission controller computed " + policy + " from the given PriorityClass name");
        }
        spec.put("preemptionPolicy", policy);
    }

    private static void keepPriority(ObjectNode pod, ObjectNode old) {
        ObjectNode spec = pod.withObject("spec");
        JsonNode oldSpec = old.path("spec");
        if (!spec.has("priority") && oldSpec.has("priority")) {
            spec.set("priority", oldSpec.get("priority"));
        }
        if (!spec.has("preemptionPolicy") && oldSpec.has("preemptionPolicy")) {
            spec.set("preemptionPolicy", oldSpec.get("preemptionPolicy"));
        }
    }

    private void checkSingleDefault(Operation operation, ObjectNode pc) {
        if (!pc.path("globalDefault").asBoolean(false)) {
            return;
        }
        JsonNode existing = globalDefault();
        if (existing == null) {
            return;
        }
        String existingName = existing.path("metadata").path("name").asText();
        String name = pc.path("metadata").path("name").asText();
        if (operation == Operation.CREATE || !existingName.equals(name)) {
            throw StatusException.forbidden("scheduling.k8s.io", "priorityclasses", name,
                    "PriorityClass " + existingName + " is already marked as default. Only one default can exist");
        }
    }

    /** The globalDefault class (the lowest value if a race made several), or null. */
    private JsonNode globalDefault() {
        JsonNode found = null;
        for (JsonNode pc : allClasses.get()) {
            if (pc.path("globalDefault").asBoolean(false)
                    && (found == null || found.path("value").asInt() > pc.path("value").asInt())) {
                found = pc;
            }
        }
        return found;
    }

    private static StatusException forbidden(ObjectNode pod, String detail) {
        String name = pod.path("metadata").path("name").asText("");
        return StatusException.forbidden("", "pods", name.isEmpty() ? null : name, detail);
    }
}
