package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.List;
import java.util.Optional;

/** Validation of networking.k8s.io (Ingress, IngressClass, NetworkPolicy) and discovery.k8s.io. */
final class NetworkingValidation {

    private static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

    private NetworkingValidation() {
    }

    static void ingress(List<FieldError> errs, ObjectNode ing) {
        ObjectNode spec = ObjectTree.object(ing, "spec");
        FieldPath path = FieldPath.of("spec");
        ObjectNode defaultBackend = ObjectTree.object(spec, "defaultBackend");
        List<ObjectNode> rules = ObjectTree.objects(spec, "rules");
        if (defaultBackend == null && rules.isEmpty()) {
            errs.add(FieldError.invalid(path.child("rules").toString(), "[]",
                    "either `defaultBackend` or `rules` must be specified"));
        }
        if (defaultBackend != null) {
            backend(errs, defaultBackend, path.child("defaultBackend"));
        }
        for (int i = 0; i < rules.size(); i++) {
            ObjectNode rule = rules.get(i);
            FieldPath p = path.child("rules").index(i);
            String host = ObjectTree.textOrEmpty(rule, "host");
            if (!host.isEmpty()) {
                List<String> problems = host.startsWith("*.") ? IdentifierSyntax.wildcardDns1123Subdomain(host)
                        : IdentifierSyntax.dns1123Subdomain(host);
                FieldChecks.invalidEach(errs, p.child("host"), host, problems);
            }
            List<ObjectNode> paths = ObjectTree.objects(ObjectTree.object(rule, "http"), "paths");
            for (int j = 0; j < paths.size(); j++) {
                ObjectNode hp = paths.get(j);
                FieldPath pp = p.child("http", "paths").index(j);
                FieldChecks.oneOf(errs, hp, "pathType", pp.child("pathType"), PATH_TYPES, true);
                String pathValue = ObjectTree.textOrEmpty(hp, "path");
                if (!ObjectTree.textOrEmpty(hp, "pathType").equals("ImplementationSpecific") && !pathValue.startsWith("/")) {
                    errs.add(FieldError.invalid(pp.child("path").toString(), pathValue, "must be an absolute path"));
                }
                ObjectNode backend = ObjectTree.object(hp, "backend");
                if (backend == null) {
                    errs.add(FieldError.required(pp.child("backend").toString()));
                } else {
                    backend(errs, backend, pp.child("backend"));
                }
            }
        }
    }

    private static void backend(List<FieldError> errs, ObjectNode backend, FieldPath path) {
        ObjectNode service = ObjectTree.object(backend, "service");
        boolean resource = ObjectTree.has(backend, "resource");
        if (service != null && resource) {
            errs.add(FieldError.invalid(path.toString(), "", "cannot set both resource and service backends"));
        } else if (service == null && !resource) {
            errs.add(FieldError.invalid(path.toString(), "", "resource or service backend is required"));
        }
        if (service == null) {
            return;
        }
        String name = ObjectTree.textOrEmpty(service, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.child("service", "name").toString()));
        } else {
            FieldChecks.invalidEach(errs, path.child("service", "name"), name, IdentifierSyntax.dns1035Label(name));
        }
        ObjectNode port = ObjectTree.object(service, "port");
        boolean hasName = !ObjectTree.textOrEmpty(port, "name").isEmpty();
        boolean hasNumber = ObjectTree.integer(port, "number") != null && ObjectTree.integer(port, "number") != 0;
        if (hasName && hasNumber) {
            errs.add(FieldError.invalid(path.child("service", "port").toString(), port,
                    "cannot set both port name & port number"));
        } else if (hasName) {
            String n = ObjectTree.text(port, "name");
            FieldChecks.invalidEach(errs, path.child("service", "port", "name"), n, IdentifierSyntax.portName(n));
        } else if (hasNumber) {
            long n = ObjectTree.integer(port, "number");
            FieldChecks.invalidEach(errs, path.child("service", "port", "number"), n, IdentifierSyntax.portNumber(n));
        } else {
            errs.add(FieldError.required(path.child("service", "port").toString(), "port name or number is required"));
        }
    }

    static void ingressClass(List<FieldError> errs, ObjectNode ic) {
        String controller = ObjectTree.textOrEmpty(ObjectTree.object(ic, "spec"), "controller");
        FieldPath path = FieldPath.of("spec", "controller");
        if (controller.isEmpty()) {
            errs.add(FieldError.required(path.toString()));
        } else if (!controller.contains("/")) {
            errs.add(FieldError.invalid(path.toString(), controller, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
        }
    }

    static void networkPolicy(List<FieldError> errs, ObjectNode np) {
        ObjectNode spec = ObjectTree.object(np, "spec");
        FieldPath path = FieldPath.of("spec");
        JsonNode podSelector = spec == null ? null : spec.get("podSelector");
        LabelSelectorValidation.validate(errs, podSelector, path.child("podSelector"));
        for (String direction : List.of("ingress", "egress")) {
            List<ObjectNode> rules = ObjectTree.objects(spec, direction);
            for (int i = 0; i < rules.size(); i++) {
                FieldPath rp = path.child(direction).index(i);
                List<ObjectNode> ports = ObjectTree.objects(rules.get(i), "ports");
                for (int j = 0; j < ports.size(); j++) {
                    networkPolicyPort(errs, ports.get(j), rp.child("ports").index(j));
                }
                String peers = direction.equals("ingress") ? "from" : "to";
                List<ObjectNode> peerList = ObjectTree.objects(rules.get(i), peers);
                for (int j = 0; j < peerList.size(); j++) {
                    ObjectNode peer = peerList.get(j);
                    FieldPath pp = rp.child(peers).index(j);
                    long kinds = List.of("podSelector", "namespaceSelector", "ipBlock").stream()
                            .filter(k -> ObjectTree.has(peer, k)).count();
                    if (kinds == 0) {
                        errs.add(FieldError.required(pp.toString(), "must specify a peer"));
                    } else if (ObjectTree.has(peer, "ipBlock") && kinds > 1) {
                        errs.add(FieldError.forbidden(pp.toString(), "may not specify both ipBlock and another peer"));
                    }
                    ObjectNode ipBlock = ObjectTree.object(peer, "ipBlock");
                    if (ipBlock != null) {
                        ipBlock(errs, ipBlock, pp.child("ipBlock"));
                    }
                }
            }
        }
        List<String> types = ObjectTree.strings(spec, "policyTypes");
        for (int i = 0; i < types.size(); i++) {
            if (!types.get(i).equals("Ingress") && !types.get(i).equals("Egress")) {
                errs.add(FieldError.notSupported(path.child("policyTypes").index(i).toString(), types.get(i),
                        List.of("Ingress", "Egress")));
            }
        }
    }

    /** A protocol, a port number or name, and an {@code endPort} only after a port number it does not precede. */
    private static void networkPolicyPort(List<FieldError> errs, ObjectNode port, FieldPath path) {
        FieldChecks.oneOf(errs, port, "protocol", path.child("protocol"), PROTOCOLS, false);
        JsonNode number = port.get("port");
        JsonNode endPort = port.get("endPort");
        boolean hasEndPort = endPort != null && !endPort.isNull();
        if (number == null || number.isNull()) {
            if (hasEndPort) {
                errs.add(FieldError.invalid(path.child("endPort").toString(), endPort.asLong(),
                        "may not be specified when `port` is not specified"));
            }
            return;
        }
        if (number.isTextual()) {
            if (hasEndPort) {
                errs.add(FieldError.invalid(path.child("endPort").toString(), endPort.asLong(),
                        "may not be specified when `port` is non-numeric"));
            }
            ContainerValidation.port(errs, number, path.child("port"));
            return;
        }
        ContainerValidation.port(errs, number, path.child("port"));
        if (hasEndPort) {
            if (endPort.asLong() < number.asLong()) {
                // upstream names the port's value here, not the endPort's
                errs.add(FieldError.invalid(path.child("endPort").toString(), number.asLong(),
                        "must be greater than or equal to `port`"));
            }
            FieldChecks.invalidEach(errs, path.child("endPort"), endPort.asLong(),
                    IdentifierSyntax.portNumber(endPort.asLong()));
        }
    }

    /** A CIDR, and excepts that are CIDRs strictly inside it. */
    private static void ipBlock(List<FieldError> errs, ObjectNode block, FieldPath path) {
        String cidr = ObjectTree.textOrEmpty(block, "cidr");
        if (cidr.isEmpty()) {
            errs.add(FieldError.required(path.child("cidr").toString()));
            return;
        }
        Optional<LegacyCidr> range = LegacyCidr.parse(cidr);
        if (range.isEmpty()) {
            errs.add(FieldError.invalid(path.child("cidr").toString(), cidr, LegacyCidr.INVALID));
            return;
        }
        List<String> excepts = ObjectTree.strings(block, "except");
        for (int i = 0; i < excepts.size(); i++) {
            FieldPath exceptPath = path.child("except").index(i);
            Optional<LegacyCidr> except = LegacyCidr.parse(excepts.get(i));
            if (except.isEmpty()) {
                errs.add(FieldError.invalid(exceptPath.toString(), excepts.get(i), LegacyCidr.INVALID));
            } else if (!range.get().strictlyContains(except.get())) {
                errs.add(FieldError.invalid(exceptPath.toString(), excepts.get(i), "must be a strict subset of `cidr`"));
            }
        }
    }

    static void endpointSlice(List<FieldError> errs, ObjectNode slice) {
        FieldChecks.oneOf(errs, slice, "addressType", FieldPath.of("addressType"), List.of("IPv4", "IPv6", "FQDN"), true);
        String type = ObjectTree.textOrEmpty(slice, "addressType");
        List<ObjectNode> endpoints = ObjectTree.objects(slice, "endpoints");
        for (int i = 0; i < endpoints.size(); i++) {
            List<String> addresses = ObjectTree.strings(endpoints.get(i), "addresses");
            FieldPath ap = FieldPath.of("endpoints").index(i).child("addresses");
            if (addresses.isEmpty()) {
                errs.add(FieldError.required(ap.toString(), "must contain at least 1 address"));
            }
            for (int j = 0; j < addresses.size(); j++) {
                String a = addresses.get(j);
                List<String> problems = switch (type) {
                    case "IPv4" -> IdentifierSyntax.isIpv4(a) ? List.of() : List.of("must be a valid IPv4 address");
                    case "IPv6" -> IdentifierSyntax.isIpv6(a) ? List.of() : List.of("must be a valid IPv6 address");
                    case "FQDN" -> IdentifierSyntax.dns1123Subdomain(a);
                    default -> List.of();
                };
                FieldChecks.invalidEach(errs, ap.index(j), a, problems);
            }
        }
        List<ObjectNode> ports = ObjectTree.objects(slice, "ports");
        for (int i = 0; i < ports.size(); i++) {
            FieldPath pp = FieldPath.of("ports").index(i);
            String name = ObjectTree.textOrEmpty(ports.get(i), "name");
            if (!name.isEmpty()) {
                FieldChecks.dnsLabel(errs, name, pp.child("name"));
            }
            FieldChecks.oneOf(errs, ports.get(i), "protocol", pp.child("protocol"), PROTOCOLS, true);
        }
    }
}
