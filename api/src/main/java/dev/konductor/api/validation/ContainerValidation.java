package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Validation of one container: image, ports, env, mounts, probes and resources. */
final class ContainerValidation {

    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> PROBE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
    private static final List<String> ENV_SOURCES = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef",
            "secretKeyRef");

    private ContainerValidation() {
    }

    /**
     * @param volumes  the pod's volume names, which mounts must refer to
     * @param init     whether this is an init container (probes and lifecycle only for sidecars)
     */
    static void validate(List<FieldError> errs, ObjectNode c, FieldPath path, Set<String> volumes, boolean init) {
        String image = ObjectTree.textOrEmpty(c, "image");
        if (image.isEmpty()) {
            errs.add(FieldError.required(path.child("image").toString()));
        } else if (!image.equals(image.strip())) {
            errs.add(FieldError.invalid(path.child("image").toString(), image, "must not have leading or trailing whitespace"));
        }
        FieldChecks.oneOf(errs, c, "imagePullPolicy", path.child("imagePullPolicy"), PULL_POLICIES, true);
        FieldChecks.oneOf(errs, c, "terminationMessagePolicy", path.child("terminationMessagePolicy"), MESSAGE_POLICIES, true);
        ports(errs, c, path.child("ports"));
        env(errs, c, path);
        volumeMounts(errs, c, path.child("volumeMounts"), volumes);
        boolean sidecar = init && "Always".equals(ObjectTree.text(c, "restartPolicy"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe", "lifecycle")) {
            if (init && !sidecar && ObjectTree.has(c, probe)) {
                errs.add(FieldError.forbidden(path.child(probe).toString(),
                        "may not be set for init containers without restartPolicy=Always"));
            }
        }
        if (!init || sidecar) {
            probe(errs, ObjectTree.object(c, "livenessProbe"), path.child("livenessProbe"), true);
            probe(errs, ObjectTree.object(c, "startupProbe"), path.child("startupProbe"), true);
            ObjectNode readiness = ObjectTree.object(c, "readinessProbe");
            probe(errs, readiness, path.child("readinessProbe"), false);
            if (readiness != null && ObjectTree.has(readiness, "terminationGracePeriodSeconds")) {
                errs.add(FieldError.invalid(path.child("readinessProbe", "terminationGracePeriodSeconds").toString(),
                        readiness.get("terminationGracePeriodSeconds"), "must not be set for readinessProbes"));
            }
        }
        if (ObjectTree.has(c, "restartPolicy") && !init) {
            errs.add(FieldError.forbidden(path.child("restartPolicy").toString(),
                    "may not be set for non-init containers"));
        }
        resources(errs, ObjectTree.object(c, "resources"), path.child("resources"));
    }

    static void ports(List<FieldError> errs, ObjectNode c, FieldPath path) {
        Set<String> names = new HashSet<>();
        List<ObjectNode> ports = ObjectTree.objects(c, "ports");
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            FieldPath p = path.index(i);
            String name = ObjectTree.textOrEmpty(port, "name");
            if (!name.isEmpty()) {
                FieldChecks.invalidEach(errs, p.child("name"), name, IdentifierSyntax.portName(name));
                if (!names.add(name)) {
                    errs.add(FieldError.duplicate(p.child("name").toString(), name));
                }
            }
            Long containerPort = ObjectTree.integer(port, "containerPort");
            if (containerPort == null || containerPort == 0) {
                errs.add(FieldError.required(p.child("containerPort").toString()));
            } else {
                FieldChecks.invalidEach(errs, p.child("containerPort"), containerPort, IdentifierSyntax.portNumber(containerPort));
            }
            Long hostPort = ObjectTree.integer(port, "hostPort");
            if (hostPort != null && hostPort != 0) {
                FieldChecks.invalidEach(errs, p.child("hostPort"), hostPort, IdentifierSyntax.portNumber(hostPort));
            }
            FieldChecks.oneOf(errs, port, "protocol", p.child("protocol"), PROTOCOLS, true);
        }
    }

    private static void env(List<FieldError> errs, ObjectNode c, FieldPath container) {
        FieldPath path = container.child("env");
        List<ObjectNode> envs = ObjectTree.objects(c, "env");
        for (int i = 0; i < envs.size(); i++) {
            ObjectNode e = envs.get(i);
            FieldPath p = path.index(i);
            String name = ObjectTree.textOrEmpty(e, "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p.child("name").toString()));
            } else {
                FieldChecks.invalidEach(errs, p.child("name"), name, IdentifierSyntax.envVarName(name));
            }
            ObjectNode from = ObjectTree.object(e, "valueFrom");
            if (from != null) {
                envSource(errs, e, from, p.child("valueFrom"));
            }
        }
        List<ObjectNode> envFrom = ObjectTree.objects(c, "envFrom");
        for (int i = 0; i < envFrom.size(); i++) {
            ObjectNode e = envFrom.get(i);
            FieldPath p = container.child("envFrom").index(i);
            String prefix = ObjectTree.textOrEmpty(e, "prefix");
            if (!prefix.isEmpty()) {
                FieldChecks.invalidEach(errs, p.child("prefix"), prefix, IdentifierSyntax.envVarName(prefix));
            }
            int sources = (ObjectTree.has(e, "configMapRef") ? 1 : 0) + (ObjectTree.has(e, "secretRef") ? 1 : 0);
            if (sources == 0) {
                errs.add(FieldError.invalid(p.toString(), "", "must specify one of: `configMapRef` or `secretRef`"));
            } else if (sources > 1) {
                errs.add(FieldError.invalid(p.toString(), "", "may not have more than one field specified at a time"));
            }
            for (String ref : List.of("configMapRef", "secretRef")) {
                ObjectNode r = ObjectTree.object(e, ref);
                if (r != null) {
                    FieldChecks.requiredText(errs, r, "name", p.child(ref, "name"));
                }
            }
        }
    }

    private static void envSource(List<FieldError> errs, ObjectNode env, ObjectNode from, FieldPath path) {
        long sources = ENV_SOURCES.stream().filter(s -> ObjectTree.has(from, s)).count();
        if (sources == 0) {
            errs.add(FieldError.invalid(path.toString(), "",
                    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        } else if (sources > 1) {
            errs.add(FieldError.invalid(path.toString(), "", "may not have more than one field specified at a time"));
        }
        if (!ObjectTree.textOrEmpty(env, "value").isEmpty() && sources > 0) {
            errs.add(FieldError.invalid(path.toString(), "", "may not be specified when `value` is not empty"));
        }
        ObjectNode fieldRef = ObjectTree.object(from, "fieldRef");
        if (fieldRef != null) {
            FieldChecks.requiredText(errs, fieldRef, "fieldPath", path.child("fieldRef", "fieldPath"));
        }
        ObjectNode resourceRef = ObjectTree.object(from, "resourceFieldRef");
        if (resourceRef != null) {
            FieldChecks.requiredText(errs, resourceRef, "resource", path.child("resourceFieldRef", "resource"));
        }
        for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
            ObjectNode r = ObjectTree.object(from, ref);
            if (r == null) {
                continue;
            }
            FieldChecks.requiredText(errs, r, "name", path.child(ref, "name"));
            String key = ObjectTree.textOrEmpty(r, "key");
            if (key.isEmpty()) {
                errs.add(FieldError.required(path.child(ref, "key").toString()));
            } else {
                FieldChecks.invalidEach(errs, path.child(ref, "key"), key, IdentifierSyntax.configMapKey(key));
            }
        }
    }

    private static void volumeMounts(List<FieldError> errs, ObjectNode c, FieldPath path, Set<String> volumes) {
        Set<String> mountPaths = new HashSet<>();
        List<ObjectNode> mounts = ObjectTree.objects(c, "volumeMounts");
        for (int i = 0; i < mounts.size(); i++) {
            ObjectNode m = mounts.get(i);
            FieldPath p = path.index(i);
            String name = ObjectTree.textOrEmpty(m, "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p.child("name").toString()));
            } else if (!volumes.contains(name)) {
                errs.add(FieldChecks.notFound(p.child("name"), name));
            }
            String mountPath = ObjectTree.textOrEmpty(m, "mountPath");
            if (mountPath.isEmpty()) {
                errs.add(FieldError.required(p.child("mountPath").toString()));
            } else if (!mountPaths.add(mountPath)) {
                errs.add(FieldError.invalid(p.child("mountPath").toString(), mountPath, "must be unique"));
            }
            String subPath = ObjectTree.textOrEmpty(m, "subPath");
            if (!subPath.isEmpty()) {
                VolumeValidation.relativePath(errs, subPath, p.child("subPath"));
            }
        }
    }

    private static void probe(List<FieldError> errs, ObjectNode probe, FieldPath path, boolean successMustBeOne) {
        if (probe == null) {
            return;
        }
        handler(errs, probe, path);
        for (String field : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold")) {
            FieldChecks.nonNegative(errs, probe, field, path.child(field));
        }
        Long success = ObjectTree.integer(probe, "successThreshold");
        if (successMustBeOne && success != null && success != 1) {
            errs.add(FieldError.invalid(path.child("successThreshold").toString(), success, "must be 1"));
        }
    }

    /** Exactly one of exec, httpGet, tcpSocket, grpc, each well-formed. */
    static void handler(List<FieldError> errs, ObjectNode handler, FieldPath path) {
        int count = 0;
        for (String type : PROBE_HANDLERS) {
            if (!ObjectTree.has(handler, type)) {
                continue;
            }
            if (++count > 1) {
                errs.add(FieldError.forbidden(path.child(type).toString(), "may not specify more than 1 handler type"));
            }
        }
        if (count == 0) {
            errs.add(FieldError.required(path.toString(), "must specify a handler type"));
        }
        ObjectNode exec = ObjectTree.object(handler, "exec");
        if (exec != null && ObjectTree.isEmpty(exec, "command")) {
            errs.add(FieldError.required(path.child("exec", "command").toString()));
        }
        ObjectNode http = ObjectTree.object(handler, "httpGet");
        if (http != null) {
            FieldChecks.requiredText(errs, http, "path", path.child("httpGet", "path"));
            port(errs, http.get("port"), path.child("httpGet", "port"));
            FieldChecks.oneOf(errs, http, "scheme", path.child("httpGet", "scheme"), List.of("HTTP", "HTTPS"), true);
        }
        ObjectNode tcp = ObjectTree.object(handler, "tcpSocket");
        if (tcp != null) {
            port(errs, tcp.get("port"), path.child("tcpSocket", "port"));
        }
        ObjectNode grpc = ObjectTree.object(handler, "grpc");
        if (grpc != null) {
            Long p = ObjectTree.integer(grpc, "port");
            FieldChecks.invalidEach(errs, path.child("grpc", "port"), p == null ? 0 : p,
                    IdentifierSyntax.portNumber(p == null ? 0 : p));
        }
    }

    /** An IntOrString port: a number in range or an IANA port name. */
    static void port(List<FieldError> errs, JsonNode port, FieldPath path) {
        if (port != null && port.isTextual()) {
            FieldChecks.invalidEach(errs, path, port.textValue(), IdentifierSyntax.portName(port.textValue()));
        } else {
            long n = port == null ? 0 : port.asLong();
            FieldChecks.invalidEach(errs, path, n, IdentifierSyntax.portNumber(n));
        }
    }

    /** Resource names, non-negative quantities, and requests no larger than limits. */
    static void resources(List<FieldError> errs, ObjectNode resources, FieldPath path) {
        if (resources == null) {
            return;
        }
        Map<String, BigDecimal> limits = quantities(errs, ObjectTree.object(resources, "limits"), path.child("limits"));
        Map<String, BigDecimal> requests = quantities(errs, ObjectTree.object(resources, "requests"), path.child("requests"));
        ObjectNode rawLimits = ObjectTree.object(resources, "limits");
        ObjectNode rawRequests = ObjectTree.object(resources, "requests");
        requests.forEach((name, request) -> {
            BigDecimal limit = limits.get(name);
            if (limit != null && request.compareTo(limit) > 0) {
                errs.add(FieldError.invalid(path.child("requests").toString(), rawRequests.get(name).asText(),
                        "must be less than or equal to " + name + " limit of " + rawLimits.get(name).asText()));
            }
        });
    }

    private static Map<String, BigDecimal> quantities(List<FieldError> errs, ObjectNode list, FieldPath path) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (list == null) {
            return out;
        }
        for (String name : ObjectTree.sortedKeys(list)) {
            FieldPath p = path.key(name);
            resourceName(errs, name, p);
            String text = list.get(name).asText();
            BigDecimal value = ResourceQuantities.parse(text);
            if (value == null) {
                errs.add(FieldError.invalid(p.toString(), text, ResourceQuantities.SYNTAX_MESSAGE));
            } else if (value.signum() < 0) {
                errs.add(FieldError.invalid(p.toString(), text, FieldChecks.NON_NEGATIVE));
            } else {
                out.put(name, value);
            }
        }
        return out;
    }

    /** Standard names (cpu, memory, ...) or fully qualified extended resources. */
    private static void resourceName(List<FieldError> errs, String name, FieldPath path) {
        FieldChecks.invalidEach(errs, path, name, IdentifierSyntax.qualifiedName(name));
        boolean standard = name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage")
                || name.startsWith("hugepages-") || name.startsWith("requests.") || name.startsWith("limits.");
        if (!standard && !name.contains("/")) {
            errs.add(FieldError.invalid(path.toString(), name, "must be a standard resource type or fully qualified"));
        }
    }
}
