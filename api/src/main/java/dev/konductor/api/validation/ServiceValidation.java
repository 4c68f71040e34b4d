package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validation of Services. Checking node ports against the node-port range and allocating
 * cluster IPs are the API server's allocators' job; this checks shape and consistency.
 */
final class ServiceValidation {

    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");

    private ServiceValidation() {
    }

    static void validate(List<FieldError> errs, ObjectNode svc) {
        ObjectNode spec = ObjectTree.object(svc, "spec");
        if (spec == null) {
            spec = svc.objectNode();
        }
        String type = ObjectTree.textOrEmpty(spec, "type");
        List<String> clusterIPs = clusterIPs(spec);
        boolean headless = !clusterIPs.isEmpty() && clusterIPs.get(0).equals("None");
        List<ObjectNode> ports = ObjectTree.objects(spec, "ports");
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            errs.add(FieldError.required(SPEC.child("ports").toString()));
        }
        FieldChecks.oneOf(errs, spec, "type", SPEC.child("type"), TYPES, true);
        if (type.equals("ExternalName")) {
            externalName(errs, spec, clusterIPs);
        } else {
            clusterIPsShape(errs, clusterIPs, type);
        }
        ports(errs, ports, type);
        FieldChecks.labels(errs, ObjectTree.stringMap(spec, "selector"), SPEC.child("selector"));
        sessionAffinity(errs, spec);
        trafficPolicies(errs, spec, type);
        FieldChecks.oneOf(errs, spec, "ipFamilyPolicy", SPEC.child("ipFamilyPolicy"),
                List.of("SingleStack", "PreferDualStack", "RequireDualStack"), false);
        List<String> families = ObjectTree.strings(spec, "ipFamilies");
        for (int i = 0; i < families.size(); i++) {
            if (!families.get(i).equals("IPv4") && !families.get(i).equals("IPv6")) {
                errs.add(FieldError.notSupported(SPEC.child("ipFamilies").index(i).toString(), families.get(i),
                        List.of("IPv4", "IPv6")));
            }
        }
        List<String> externalIPs = ObjectTree.strings(spec, "externalIPs");
        for (int i = 0; i < externalIPs.size(); i++) {
            FieldChecks.invalidEach(errs, SPEC.child("externalIPs").index(i), externalIPs.get(i),
                    IdentifierSyntax.ip(externalIPs.get(i)));
        }
    }

    /** {@code clusterIPs}, or the single {@code clusterIP} when only that is set. */
    static List<String> clusterIPs(JsonNode spec) {
        List<String> ips = ObjectTree.strings(spec, "clusterIPs");
        String single = ObjectTree.textOrEmpty(spec, "clusterIP");
        if (ips.isEmpty() && !single.isEmpty()) {
            return List.of(single);
        }
        return ips;
    }

    private static void externalName(List<FieldError> errs, ObjectNode spec, List<String> clusterIPs) {
        if (!clusterIPs.isEmpty()) {
            errs.add(FieldError.forbidden(SPEC.child("clusterIPs").toString(), "may not be set for ExternalName services"));
        }
        String name = ObjectTree.textOrEmpty(spec, "externalName");
        FieldPath path = SPEC.child("externalName");
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.toString()));
            return;
        }
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        List<String> problems = IdentifierSyntax.dns1123Subdomain(trimmed);
        if (!problems.isEmpty()) {
            errs.add(FieldError.invalid(path.toString(), trimmed, String.join(",", problems)));
        } else if (!trimmed.contains(".")) {
            errs.add(FieldError.invalid(path.toString(), trimmed,
                    "should be a domain with at least two segments separated by dots"));
        }
    }

    private static void clusterIPsShape(List<FieldError> errs, List<String> ips, String type) {
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i);
            FieldPath p = SPEC.child("clusterIPs").index(i);
            if (ip.equals("None")) {
                if (i > 0) {
                    errs.add(FieldError.invalid(p.toString(), ip, "must be a valid IP address"));
                } else if (type.equals("NodePort") || type.equals("LoadBalancer")) {
                    errs.add(FieldError.invalid(p.toString(), ip, "may not be set to 'None' for " + type + " services"));
                }
            } else if (!IdentifierSyntax.isIp(ip)) {
                errs.add(FieldError.invalid(p.toString(), ip, "must be empty, 'None', or a valid IP address"));
            }
        }
    }

    private static void ports(List<FieldError> errs, List<ObjectNode> ports, String type) {
        Set<String> names = new HashSet<>();
        Set<String> portProtocols = new HashSet<>();
        boolean requireName = ports.size() > 1;
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            FieldPath p = SPEC.child("ports").index(i);
            String name = ObjectTree.textOrEmpty(port, "name");
            if (name.isEmpty()) {
                if (requireName) {
                    errs.add(FieldError.required(p.child("name").toString()));
                }
            } else {
                FieldChecks.dnsLabel(errs, name, p.child("name"));
                if (!names.add(name)) {
                    errs.add(FieldError.duplicate(p.child("name").toString(), name));
                }
            }
            long number = port.path("port").asLong(0);
            FieldChecks.invalidEach(errs, p.child("port"), number, IdentifierSyntax.portNumber(number));
            FieldChecks.oneOf(errs, port, "protocol", p.child("protocol"), PROTOCOLS, true);
            ContainerValidation.port(errs, port.get("targetPort"), p.child("targetPort"));
            String protocol = ObjectTree.textOrEmpty(port, "protocol");
            if (!portProtocols.add(number + "/" + protocol)) {
                errs.add(FieldError.duplicate(p.toString(), new GoLiteral("core.ServicePort{Name:\"\", Protocol:\""
                        + protocol + "\", AppProtocol:(*string)(nil), Port:" + number
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")));
            }
            long nodePort = port.path("nodePort").asLong(0);
            if (nodePort != 0) {
                if (type.equals("ClusterIP")) {
                    errs.add(FieldError.forbidden(p.child("nodePort").toString(),
                            "may not be used when `type` is 'ClusterIP'"));
                } else {
                    FieldChecks.invalidEach(errs, p.child("nodePort"), nodePort, IdentifierSyntax.portNumber(nodePort));
                }
            }
        }
    }

    private static void sessionAffinity(List<FieldError> errs, ObjectNode spec) {
        FieldChecks.oneOf(errs, spec, "sessionAffinity", SPEC.child("sessionAffinity"), List.of("ClientIP", "None"), true);
        String affinity = ObjectTree.textOrEmpty(spec, "sessionAffinity");
        JsonNode config = spec.get("sessionAffinityConfig");
        if (affinity.equals("None") && config != null && !config.isNull()) {
            errs.add(FieldError.invalid(SPEC.child("sessionAffinityConfig").toString(), config,
                    "must not be set when session affinity is None"));
        }
        Long timeout = ObjectTree.integer(ObjectTree.object(spec, "sessionAffinityConfig", "clientIP"), "timeoutSeconds");
        if (affinity.equals("ClientIP") && timeout != null && (timeout <= 0 || timeout > 86400)) {
            errs.add(FieldError.invalid(SPEC.child("sessionAffinityConfig", "clientIP", "timeoutSeconds").toString(),
                    timeout, "must be greater than 0 and less than 86400"));
        }
    }

    private static void trafficPolicies(List<FieldError> errs, ObjectNode spec, String type) {
        String external = ObjectTree.textOrEmpty(spec, "externalTrafficPolicy");
        boolean externallyAccessible = type.equals("NodePort") || type.equals("LoadBalancer")
                || (type.equals("ClusterIP") && !ObjectTree.isEmpty(spec, "externalIPs"));
        if (!external.isEmpty()) {
            if (!externallyAccessible) {
                errs.add(FieldError.invalid(SPEC.child("externalTrafficPolicy").toString(), external,
                        "may only be set for externally-accessible services"));
            } else if (!TRAFFIC_POLICIES.contains(external)) {
                errs.add(FieldError.notSupported(SPEC.child("externalTrafficPolicy").toString(), external, TRAFFIC_POLICIES));
            }
        }
        boolean needsInternal = List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type);
        FieldChecks.oneOf(errs, spec, "internalTrafficPolicy", SPEC.child("internalTrafficPolicy"), TRAFFIC_POLICIES,
                needsInternal);
    }

    /**
     * Cluster IPs never change once allocated, except to and from ExternalName. A new object that
     * leaves them out is fine: the API server copies allocated values over before validating,
     * as upstream does for {@code kubectl apply} of a manifest without clusterIP.
     */
    static void validateUpdate(List<FieldError> errs, ObjectNode newSvc, ObjectNode oldSvc) {
        JsonNode newSpec = newSvc.path("spec");
        JsonNode oldSpec = oldSvc.path("spec");
        if ("ExternalName".equals(ObjectTree.text(newSpec, "type")) || "ExternalName".equals(ObjectTree.text(oldSpec, "type"))) {
            return;
        }
        List<String> newIPs = clusterIPs(newSpec);
        List<String> oldIPs = clusterIPs(oldSpec);
        if (newIPs.isEmpty()) {
            return;
        }
        boolean bothHeadless = !oldIPs.isEmpty() && oldIPs.get(0).equals("None") && newIPs.get(0).equals("None");
        if (bothHeadless) {
            return;
        }
        int common = Math.min(newIPs.size(), oldIPs.size());
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < common; i++) {
            if (!newIPs.get(i).equals(oldIPs.get(i))) {
                changed.add(i);
            }
        }
        for (int i : changed) {
            errs.add(FieldError.invalid(SPEC.child("clusterIPs").index(i).toString(), GoLiteral.strings(newIPs),
                    "may not change once set"));
        }
    }
}
