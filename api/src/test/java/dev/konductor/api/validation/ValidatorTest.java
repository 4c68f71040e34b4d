package dev.konductor.api.validation;

import static dev.konductor.api.meta.TestObjects.type;
import static dev.konductor.api.meta.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.defaults.Defaulter;
import dev.konductor.api.status.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Create-time validation, on defaulted objects as the API server validates them. */
class ValidatorTest {

    private static final String SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private static final String POD_SPEC = "{containers: [{name: web, image: nginx}]}";

    private final Validator validator = new Validator();
    private final Defaulter defaulter = new Defaulter();

    /** Each error as kubectl prints it: {@code field: message}. */
    private List<String> errors(String apiVersion, String kind, String body) {
        ObjectNode obj = yaml("apiVersion: " + apiVersion + "\nkind: " + kind + "\n" + body);
        defaulter.apply(type(apiVersion, kind), obj);
        return validator.validateCreate(type(apiVersion, kind), obj).stream()
                .map(e -> e.field() + ": " + e.message()).toList();
    }

    @Test
    void validPodPasses() {
        assertThat(errors("v1", "Pod", "metadata: {name: web, namespace: default}\nspec: " + POD_SPEC)).isEmpty();
    }

    @Test
    void metadataNameRules() {
        assertThat(errors("v1", "ConfigMap", "metadata: {name: Bad_Name, namespace: default}"))
                .containsExactly("metadata.name: Invalid value: \"Bad_Name\": " + SUBDOMAIN_MESSAGE);
        assertThat(errors("v1", "ConfigMap", "metadata: {namespace: default}"))
                .containsExactly("metadata.name: Required value: name or generateName is required");
        assertThat(errors("v1", "ConfigMap", "metadata: {name: a}"))
                .containsExactly("metadata.namespace: Required value");
        assertThat(errors("v1", "Namespace", "metadata: {name: a, namespace: b}"))
                .containsExactly("metadata.namespace: Forbidden: not allowed on this type");
        assertThat(errors("v1", "Namespace", "metadata: {name: a.b}"))
                .containsExactly("metadata.name: Invalid value: \"a.b\": must not contain dots");
        assertThat(errors("v1", "Service", "metadata: {name: 1abc, namespace: d}\nspec: {ports: [{port: 80}]}"))
                .singleElement().asString().startsWith("metadata.name: Invalid value: \"1abc\": a DNS-1035 label");
        assertThat(errors("rbac.authorization.k8s.io/v1", "ClusterRole", "metadata: {name: 'system:Weird_Name'}")).isEmpty();
        assertThat(errors("v1", "ConfigMap", "metadata: {generateName: web-, namespace: d}")).isEmpty();
    }

    @Test
    void labelsAnnotationsAndFinalizers() {
        List<String> errs = errors("v1", "ConfigMap", """
                metadata:
                  name: a
                  namespace: d
                  labels: {good: ok, bad/key/x: v, k: -v}
                  annotations: {big: %s}
                  finalizers: [example.com/ok, orphan, foregroundDeletion]
                """.formatted("x".repeat(256 * 1024)));
        assertThat(errs).anyMatch(e -> e.startsWith("metadata.labels: Invalid value: \"bad/key/x\": a qualified name must"));
        assertThat(errs).anyMatch(e -> e.startsWith("metadata.labels: Invalid value: \"-v\": a valid label must be"));
        assertThat(errs).contains("metadata.annotations: Too long: may not be more than 262144 bytes");
        assertThat(errs).anyMatch(e -> e.endsWith("finalizer orphan and foregroundDeletion cannot be both set"));
    }

    @Test
    void podSpecErrors() {
        List<String> errs = errors("v1", "Pod", """
                metadata: {name: p, namespace: d}
                spec:
                  restartPolicy: Sometimes
                  containers:
                  - name: Web
                    ports: [{containerPort: 70000, protocol: HTTP}]
                    volumeMounts: [{name: missing, mountPath: /data}]
                    resources: {limits: {cpu: '1'}, requests: {cpu: '2'}}
                    env: [{name: 'A=B', value: x}]
                  - {name: Web, image: nginx}
                  volumes: [{name: v, emptyDir: {}, hostPath: {path: /x}}]
                """);
        assertThat(errs).contains(
                "spec.containers[0].image: Required value",
                "spec.containers[1].name: Duplicate value: \"Web\"",
                "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.containers[0].volumeMounts[0].name: Not found: \"missing\"",
                "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
                "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type",
                "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist "
                        + "only of printable ASCII characters other than '='");
        assertThat(errs).anyMatch(e -> e.startsWith("spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label"));
        assertThat(errors("v1", "Pod", "metadata: {name: p, namespace: d}\nspec: {containers: []}"))
                .containsExactly("spec.containers: Required value");
    }

    @Test
    void probesNeedOneHandlerAndLivenessSuccessOne() {
        List<String> errs = errors("v1", "Pod", """
                metadata: {name: p, namespace: d}
                spec: {containers: [{name: a, image: a, livenessProbe: {successThreshold: 2}, readinessProbe: {exec: {command: [x]}, tcpSocket: {port: 1}}}]}
                """);
        assertThat(errs).containsExactlyInAnyOrder(
                "spec.containers[0].livenessProbe: Required value: must specify a handler type",
                "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
                "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type");
    }

    @Test
    void deploymentSelectorMustMatchTemplate() {
        assertThat(errors("apps/v1", "Deployment", """
                metadata: {name: web, namespace: d}
                spec:
                  selector: {matchLabels: {app: web}}
                  template: {metadata: {labels: {app: x}}, spec: %s}
                """.formatted(POD_SPEC))).containsExactly(
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: "
                        + "`selector` does not match template `labels`");
        assertThat(errors("apps/v1", "Deployment", """
                metadata: {name: web, namespace: d}
                spec: {replicas: -1, template: {metadata: {labels: {app: x}}, spec: %s}}
                """.formatted(POD_SPEC))).containsExactlyInAnyOrder(
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.selector: Required value");
        assertThat(errors("apps/v1", "Deployment", """
                metadata: {name: web, namespace: d}
                spec: {selector: {}, template: {spec: {restartPolicy: Never, containers: [{name: a, image: a}]}}}
                """)).containsExactlyInAnyOrder(
                "spec.selector: Invalid value: &v1.LabelSelector{MatchLabels:map[string]string(nil), "
                        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
                "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    }

    @Test
    void statefulSetContainersMayMountTheirClaimTemplates() {
        String set = """
                metadata: {name: web, namespace: d}
                spec:
                  selector: {matchLabels: {app: web}}
                  serviceName: nginx
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: nginx, volumeMounts: [{name: %s, mountPath: /data}]}]}
                  volumeClaimTemplates:
                  - metadata: {name: www}
                    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """;
        assertThat(errors("apps/v1", "StatefulSet", set.formatted("www"))).isEmpty();
        assertThat(errors("apps/v1", "StatefulSet", set.formatted("other"))).containsExactly(
                "spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"other\"");
    }

    @Test
    void jobNeedsOnFailureOrNever() {
        assertThat(errors("batch/v1", "Job", "metadata: {name: j, namespace: d, uid: u1}\nspec: {template: {spec: " + POD_SPEC + "}}"))
                .containsExactly("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: "
                        + "\"OnFailure\", \"Never\"");
        assertThat(errors("batch/v1", "Job", """
                metadata: {name: j, namespace: d, uid: u1}
                spec: {backoffLimit: -1, template: {spec: {restartPolicy: Never, containers: [{name: a, image: a}]}}}
                """)).containsExactly("spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void cronJobSchedules() {
        String body = "metadata: {name: c, namespace: d}\nspec: {schedule: '%s', jobTemplate: {spec: {template: "
                + "{spec: {restartPolicy: OnFailure, containers: [{name: a, image: a}]}}}}}";
        assertThat(errors("batch/v1", "CronJob", body.formatted("*/5 * * * *"))).isEmpty();
        assertThat(errors("batch/v1", "CronJob", body.formatted("@hourly"))).isEmpty();
        assertThat(errors("batch/v1", "CronJob", body.formatted("0 0 1 jan-mar mon-fri"))).isEmpty();
        assertThat(errors("batch/v1", "CronJob", body.formatted("every minute"))).containsExactly(
                "spec.schedule: Invalid value: \"every minute\": expected exactly 5 fields, found 2: [every minute]");
        assertThat(errors("batch/v1", "CronJob", body.formatted("61 * * * *"))).containsExactly(
                "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
        assertThat(errors("batch/v1", "CronJob", body.formatted("@sometimes"))).containsExactly(
                "spec.schedule: Invalid value: \"@sometimes\": unrecognized descriptor: @sometimes");
        String zoned = body.formatted("0 * * * *").replace("schedule:", "timeZone: Mars/Olympus, schedule:");
        assertThat(errors("batch/v1", "CronJob", zoned)).containsExactly(
                "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus");
        assertThat(errors("batch/v1", "CronJob", body.formatted("0 * * * *").replace("name: c,", "name: " + "c".repeat(53) + ",")))
                .containsExactly("metadata.name: Invalid value: \"" + "c".repeat(53) + "\": must be no more than 52 characters");
    }

    @Test
    void services() {
        assertThat(errors("v1", "Service", "metadata: {name: s, namespace: d}\nspec: {selector: {app: a}}"))
                .containsExactly("spec.ports: Required value");
        assertThat(errors("v1", "Service", "metadata: {name: s, namespace: d}\nspec: {clusterIP: None}")).isEmpty();
        assertThat(errors("v1", "Service", "metadata: {name: s, namespace: d}\nspec: {type: ExternalName, externalName: db.example.com}"))
                .isEmpty();
        assertThat(errors("v1", "Service", """
                metadata: {name: s, namespace: d}
                spec: {type: Magic, clusterIP: 300.1.1.1, ports: [{port: 80}, {port: 0, name: b}]}
                """)).containsExactlyInAnyOrder(
                "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
                "spec.clusterIPs[0]: Invalid value: \"300.1.1.1\": must be empty, 'None', or a valid IP address",
                "spec.ports[0].name: Required value",
                "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive");
    }

    @Test
    void configMapAndSecretKeys() {
        assertThat(errors("v1", "ConfigMap", "metadata: {name: c, namespace: d}\ndata: {'bad key': x, good.key: y}"))
                .containsExactly("data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric "
                        + "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
                        + "validation is '[-._a-zA-Z0-9]+')");
        assertThat(errors("v1", "Secret", "metadata: {name: s, namespace: d}\ntype: kubernetes.io/tls\ndata: {tls.crt: eA==}"))
                .containsExactly("data[tls.key]: Required value");
    }

    @Test
    void otherKinds() {
        assertThat(errors("autoscaling/v2", "HorizontalPodAutoscaler", """
                metadata: {name: h, namespace: d}
                spec: {scaleTargetRef: {kind: Deployment}, minReplicas: 3, maxReplicas: 2}
                """)).containsExactlyInAnyOrder("spec.scaleTargetRef.name: Required value",
                "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`");
        assertThat(errors("policy/v1", "PodDisruptionBudget", """
                metadata: {name: p, namespace: d}
                spec: {minAvailable: 1, maxUnavailable: 1, selector: {matchLabels: {a: b}}}
                """)).singleElement().asString().endsWith("minAvailable and maxUnavailable cannot be both set");
        assertThat(errors("rbac.authorization.k8s.io/v1", "Role", "metadata: {name: r, namespace: d}\nrules: [{resources: [pods]}]"))
                .containsExactlyInAnyOrder("rules[0].verbs: Required value: verbs must contain at least one value",
                        "rules[0].apiGroups: Required value: resource rules must supply at least one api group");
        assertThat(errors("discovery.k8s.io/v1", "EndpointSlice", "metadata: {name: e, namespace: d}\naddressType: IPX"))
                .containsExactly("addressType: Unsupported value: \"IPX\": supported values: \"IPv4\", \"IPv6\", \"FQDN\"");
        assertThat(errors("v1", "Event", "metadata: {name: e.1, namespace: d}\ninvolvedObject: {kind: Pod, namespace: other}"))
                .containsExactly("involvedObject.namespace: Invalid value: \"other\": does not match event.namespace");
    }

    @Test
    void customResourceDefinitions() {
        assertThat(errors("apiextensions.k8s.io/v1", "CustomResourceDefinition", """
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {plural: widgets, kind: Widget}
                  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
                """)).isEmpty();
        assertThat(errors("apiextensions.k8s.io/v1", "CustomResourceDefinition", """
                metadata: {name: widgets.example}
                spec:
                  group: example
                  scope: Namespaced
                  names: {plural: widgets, kind: Widget}
                  versions: [{name: v1, served: true, storage: false}]
                """)).contains(
                "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
                "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required",
                "spec.versions: Invalid value: []string{\"v1\"}: must have exactly one version marked as storage version");
    }

    @Test
    void everyErrorCarriesAReason() {
        ObjectNode pod = yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}]}");
        List<FieldError> errs = validator.validateCreate(type("v1", "Pod"), pod);
        assertThat(errs).extracting(FieldError::reason).contains("FieldValueRequired");
    }

    @Test
    void networkPolicyIpBlocksAndPortRanges() {
        String head = "metadata: {name: np, namespace: d}\nspec:\n  podSelector: {}\n";
        assertThat(errors("networking.k8s.io/v1", "NetworkPolicy", head + """
                  ingress:
                  - from:
                    - ipBlock: {cidr: 172.017.0.1/16, except: [172.17.1.0/24]}
                    - ipBlock: {cidr: "fd00::/64", except: ["fd00::/80"]}
                    ports:
                    - {port: 8000, endPort: 8100}
                    - {port: http}
                """)).isEmpty();
        assertThat(errors("networking.k8s.io/v1", "NetworkPolicy", head + """
                  egress:
                  - to:
                    - ipBlock: {cidr: 300.0.0.0/8}
                    - ipBlock: {cidr: 10.0.0.0/24, except: [192.168.0.0/24, 10.0.0.0/24, 10.0.0.0/33]}
                    - ipBlock: {cidr: ""}
                    ports:
                    - {port: 9000, endPort: 8000}
                    - {port: http, endPort: 8080}
                    - {protocol: UDP, endPort: 53}
                """)).containsExactly(
                "spec.egress[0].ports[0].endPort: Invalid value: 9000: must be greater than or equal to `port`",
                "spec.egress[0].ports[1].endPort: Invalid value: 8080: may not be specified when `port` is non-numeric",
                "spec.egress[0].ports[2].endPort: Invalid value: 53: may not be specified when `port` is not specified",
                "spec.egress[0].to[0].ipBlock.cidr: Invalid value: \"300.0.0.0/8\": "
                        + "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                "spec.egress[0].to[1].ipBlock.except[0]: Invalid value: \"192.168.0.0/24\": must be a strict subset of `cidr`",
                "spec.egress[0].to[1].ipBlock.except[1]: Invalid value: \"10.0.0.0/24\": must be a strict subset of `cidr`",
                "spec.egress[0].to[1].ipBlock.except[2]: Invalid value: \"10.0.0.0/33\": "
                        + "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                "spec.egress[0].to[2].ipBlock.cidr: Required value");
    }

    @Test
    void aPodIsNotCreatedWithEphemeralContainers() {
        assertThat(errors("v1", "Pod", """
                metadata: {name: p, namespace: d}
                spec:
                  containers: [{name: a, image: nginx}]
                  ephemeralContainers: [{name: debugger, image: busybox}]
                """)).contains("spec.ephemeralContainers: Forbidden: cannot be set on create");
    }
}
