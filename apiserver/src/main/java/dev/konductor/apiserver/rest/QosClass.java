package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;

/** A pod's quality-of-service class, from its containers' requests and limits, as upstream. */
final class QosClass {

    private QosClass() {
    }

    static String of(JsonNode podSpec) {
        boolean anyResource = false;
        boolean guaranteed = true;
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : podSpec.path(list)) {
                JsonNode requests = c.path("resources").path("requests");
                JsonNode limits = c.path("resources").path("limits");
                if (requests.size() > 0 || limits.size() > 0) {
                    anyResource = true;
                }
                for (String r : new String[] {"cpu", "memory"}) {
                    JsonNode limit = limits.get(r);
                    JsonNode request = requests.get(r);
                    if (limit == null || (request != null && !request.asText().equals(limit.asText()))) {
                        guaranteed = false;
                    }
                }
            }
        }
        if (!anyResource) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
