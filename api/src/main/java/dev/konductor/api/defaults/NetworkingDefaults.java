package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;
import java.util.List;

/** Defaults of {@code networking.k8s.io/v1} and {@code discovery.k8s.io/v1}. */
final class NetworkingDefaults {

    private NetworkingDefaults() {
    }

    static void networking(String kind, ObjectNode obj) {
        switch (kind) {
            case "NetworkPolicy" -> networkPolicy(obj);
            case "IngressClass" -> {
                ObjectNode params = ObjectTree.object(obj, "spec", "parameters");
                if (params != null) {
                    DefaultFields.string(params, "scope", "Cluster");
                }
            }
            case "Ingress" -> ObjectTree.ensureObject(ObjectTree.ensureObject(obj, "status"), "loadBalancer");
            default -> {
            }
        }
    }

    private static void networkPolicy(ObjectNode np) {
        ObjectNode spec = ObjectTree.ensureObject(np, "spec");
        for (String direction : List.of("ingress", "egress")) {
            for (ObjectNode rule : ObjectTree.objects(spec, direction)) {
                for (ObjectNode port : ObjectTree.objects(rule, "ports")) {
                    DefaultFields.string(port, "protocol", "TCP");
                }
            }
        }
        // Every policy restricts ingress unless it says otherwise; egress only if it has rules.
        if (ObjectTree.isEmpty(spec, "policyTypes")) {
            ArrayNode types = spec.putArray("policyTypes").add("Ingress");
            if (!ObjectTree.isEmpty(spec, "egress")) {
                types.add("Egress");
            }
        }
    }

    static void discovery(String kind, ObjectNode obj) {
        if (!kind.equals("EndpointSlice")) {
            return;
        }
        for (ObjectNode port : ObjectTree.objects(obj, "ports")) {
            if (!ObjectTree.has(port, "name")) {
                port.put("name", "");
            }
            DefaultFields.string(port, "protocol", "TCP");
        }
    }
}
