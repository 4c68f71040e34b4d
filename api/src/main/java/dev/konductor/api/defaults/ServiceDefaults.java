package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;
import java.util.List;

/**
 * Service defaults. Allocating {@code clusterIP(s)} and node ports is the API server's job (it
 * needs the allocators); the IP family fields are filled here for the single-stack IPv4 cluster
 * Konductor runs, where upstream's registry would choose the same values.
 */
final class ServiceDefaults {

    private ServiceDefaults() {
    }

    static void service(ObjectNode svc) {
        ObjectNode spec = ObjectTree.ensureObject(svc, "spec");
        DefaultFields.string(spec, "sessionAffinity", "None");
        String affinity = ObjectTree.text(spec, "sessionAffinity");
        if ("None".equals(affinity)) {
            spec.remove("sessionAffinityConfig");
        } else if ("ClientIP".equals(affinity)) {
            ObjectNode clientIp = ObjectTree.ensureObject(ObjectTree.ensureObject(spec, "sessionAffinityConfig"), "clientIP");
            DefaultFields.integer(clientIp, "timeoutSeconds", 10800);
        }
        DefaultFields.string(spec, "type", "ClusterIP");
        String type = ObjectTree.text(spec, "type");
        for (ObjectNode port : ObjectTree.objects(spec, "ports")) {
            DefaultFields.string(port, "protocol", "TCP");
            JsonNode target = port.get("targetPort");
            boolean unset = target == null || target.isNull() || (target.isNumber() && target.asInt() == 0)
                    || (target.isTextual() && target.textValue().isEmpty());
            if (unset && port.has("port")) {
                port.set("targetPort", port.get("port").deepCopy());
            }
        }
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer")
                || (type.equals("ClusterIP") && !ObjectTree.isEmpty(spec, "externalIPs"));
        if (external) {
            DefaultFields.string(spec, "externalTrafficPolicy", "Cluster");
        }
        if (List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
            DefaultFields.string(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            DefaultFields.bool(spec, "allocateLoadBalancerNodePorts", true);
        }
        if (!type.equals("ExternalName")) {
            DefaultFields.string(spec, "ipFamilyPolicy", "SingleStack");
            DefaultFields.strings(spec, "ipFamilies", List.of("IPv4"));
        }
        // ServiceStatus and its LoadBalancerStatus are Go struct values: always on the wire.
        ObjectTree.ensureObject(ObjectTree.ensureObject(svc, "status"), "loadBalancer");
    }
}
