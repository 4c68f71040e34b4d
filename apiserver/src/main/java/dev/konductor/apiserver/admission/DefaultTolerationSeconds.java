package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;

/**
 * Upstream's DefaultTolerationSeconds admission plugin: a new pod tolerates the not-ready and
 * unreachable NoExecute taints for 300 s unless configured (or unless it says otherwise), so a
 * node that goes away briefly does not evict everything at once.
 */
public final class DefaultTolerationSeconds implements Admission {

    private final long defaultTolerationSeconds;

    public DefaultTolerationSeconds(long defaultTolerationSeconds) {
        this.defaultTolerationSeconds = defaultTolerationSeconds;
    }

    @Override
    public void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request) {
        if (operation != Operation.CREATE || !type.kind().equals("Pod") || !type.group().isEmpty()) {
            return;
        }
        ObjectNode spec = obj.withObject("spec");
        addToleration(spec, "node.kubernetes.io/not-ready");
        addToleration(spec, "node.kubernetes.io/unreachable");
    }

    private void addToleration(ObjectNode spec, String key) {
        ArrayNode tolerations = spec.withArray("tolerations");
        for (JsonNode t : tolerations) {
            boolean sameKey = key.equals(t.path("key").asText()) || (t.path("key").asText("").isEmpty()
                    && "Exists".equals(t.path("operator").asText()));
            String effect = t.path("effect").asText("");
            if (sameKey && (effect.isEmpty() || effect.equals("NoExecute"))) {
                return;
            }
        }
        ObjectNode toleration = tolerations.addObject();
        toleration.put("key", key);
        toleration.put("operator", "Exists");
        toleration.put("effect", "NoExecute");
        toleration.put("tolerationSeconds", defaultTolerationSeconds);
    }
}
