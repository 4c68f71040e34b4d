package dev.konductor.api.validation;

import static dev.konductor.api.meta.TestObjects.type;
import static dev.konductor.api.meta.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.defaults.Defaulter;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Update validation: an existing (defaulted, stored) object changed by {@code edit}. */
class UpdateValidatorTest {

    private final Validator validator = new Validator();
    private final Defaulter defaulter = new Defaulter();

    private List<String> update(String apiVersion, String kind, String body, Consumer<ObjectNode> edit) {
        ObjectNode old = yaml("apiVersion: " + apiVersion + "\nkind: " + kind + "\n" + body);
        defaulter.apply(type(apiVersion, kind), old);
        ObjectNode meta = (ObjectNode) old.get("metadata");
        meta.put("resourceVersion", "7").put("uid", "u-1");
        ObjectNode updated = old.deepCopy();
        edit.accept(updated);
        return validator.validateUpdate(type(apiVersion, kind), updated, old).stream()
                .map(e -> e.field() + ": " + e.message()).toList();
    }

    private static final String DEPLOYMENT = """
            metadata: {name: web, namespace: d}
            spec:
              selector: {matchLabels: {app: web}}
              template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
            """;

    @Test
    void unchangedObjectIsValid() {
        assertThat(update("apps/v1", "Deployment", DEPLOYMENT, d -> { })).isEmpty();
    }

    @Test
    void deploymentSelectorIsImmutable() {
        assertThat(update("apps/v1", "Deployment", DEPLOYMENT, d -> {
            ((ObjectNode) d.at("/spec/selector/matchLabels")).put("tier", "x");
            ((ObjectNode) d.at("/spec/template/metadata/labels")).put("tier", "x");
        })).containsExactly("spec.selector: Invalid value: &v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", "
                + "\"tier\":\"x\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
    }

    @Test
    void metadataIdentityIsImmutable() {
        assertThat(update("apps/v1", "Deployment", DEPLOYMENT, d -> ((ObjectNode) d.get("metadata")).put("name", "other")))
                .containsExactly("metadata.name: Invalid value: \"other\": field is immutable");
        assertThat(update("apps/v1", "Deployment", DEPLOYMENT, d -> ((ObjectNode) d.get("metadata")).remove("resourceVersion")))
                .containsExactly("metadata.resourceVersion: Invalid value: \"\": must be specified for an update");
    }

    private static final String POD = """
            metadata: {name: p, namespace: d}
            spec: {containers: [{name: a, image: nginx:1}], tolerations: [{key: k, operator: Exists}]}
            """;

    @Test
    void podAllowsImageDeadlineAndAddedTolerations() {
        assertThat(update("v1", "Pod", POD, p -> {
            ((ObjectNode) p.at("/spec/containers/0")).put("image", "nginx:2");
            ((ObjectNode) p.get("spec")).put("activeDeadlineSeconds", 30);
            ((com.fasterxml.jackson.databind.node.ArrayNode) p.at("/spec/tolerations")).addObject().put("key", "new")
                    .put("operator", "Exists");
        })).isEmpty();
    }

    @Test
    void podRejectsOtherSpecChanges() {
        List<String> errs = update("v1", "Pod", POD, p -> ((ObjectNode) p.get("spec")).put("nodeName", "node-b"));
        assertThat(errs).singleElement().asString()
                .startsWith("spec: Forbidden: " + PodUpdateValidation.ONLY_MUTABLE)
                .contains("spec.nodeName");
        assertThat(update("v1", "Pod", POD, p -> ((ObjectNode) p.get("spec")).putArray("tolerations")))
                .contains("spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
    }

    private List<String> ephemeral(String body, Consumer<ObjectNode> edit) {
        ObjectNode old = yaml("apiVersion: v1\nkind: Pod\n" + body);
        defaulter.apply(type("v1", "Pod"), old);
        ((ObjectNode) old.get("metadata")).put("resourceVersion", "7").put("uid", "u-1");
        ObjectNode updated = old.deepCopy();
        edit.accept(updated);
        defaulter.apply(type("v1", "Pod"), updated); // as the API server defaults what it decodes
        return validator.validateEphemeralContainersUpdate(updated, old).stream()
                .map(e -> e.field() + ": " + e.message()).toList();
    }

    private static ObjectNode addDebugger(ObjectNode pod, String name) {
        return ((ObjectNode) pod.get("spec")).withArray("ephemeralContainers").addObject().put("name", name)
                .put("image", "busybox").put("targetContainerName", "a");
    }

    @Test
    void ephemeralContainersAreAddedThroughTheirSubresourceAndNeverChangedOrRemoved() {
        // kubectl debug sends empty resources, which is not setting them
        assertThat(ephemeral(POD, p -> addDebugger(p, "debugger").putObject("resources"))).isEmpty();
        String withOne = "metadata: {name: p, namespace: d}\nspec: {containers: [{name: a, image: nginx:1}],"
                + " ephemeralContainers: [{name: debugger, image: busybox}]}";
        assertThat(ephemeral(withOne, p -> ((ObjectNode) p.at("/spec/ephemeralContainers/0")).put("image", "alpine")))
                .containsExactly("spec: Forbidden: existing ephemeral containers \"debugger\" may not be changed");
        assertThat(ephemeral(withOne, p -> ((ObjectNode) p.get("spec")).remove("ephemeralContainers")))
                .containsExactly("spec: Forbidden: existing ephemeral containers \"debugger\" may not be removed");
    }

    @Test
    void anEphemeralContainerHasNoPortsProbesOrResourcesAndTargetsAContainerThatExists() {
        assertThat(ephemeral(POD, p -> {
            ObjectNode c = addDebugger(p, "a");
            c.put("targetContainerName", "nope");
            c.putArray("ports").addObject().put("containerPort", 80);
            c.putObject("readinessProbe").putObject("exec").putArray("command").add("true");
            c.putObject("resources").putObject("limits").put("cpu", "1");
        })).contains("spec.ephemeralContainers[0].name: Duplicate value: \"a\"",
                "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
                "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
                "spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container",
                "spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\"");
    }

    @Test
    void serviceClusterIPMayNotChange() {
        String svc = "metadata: {name: s, namespace: d}\nspec: {clusterIP: 10.0.0.5, clusterIPs: [10.0.0.5], ports: [{port: 80}]}";
        assertThat(update("v1", "Service", svc, s -> ((ObjectNode) s.get("spec")).put("clusterIP", "None").putArray("clusterIPs").add("None")))
                .containsExactly("spec.clusterIPs[0]: Invalid value: []string{\"None\"}: may not change once set");
        assertThat(update("v1", "Service", svc, s -> {
            ((ObjectNode) s.get("spec")).remove("clusterIP");
            ((ObjectNode) s.get("spec")).remove("clusterIPs");
        })).isEmpty();
    }

    @Test
    void immutableSecretsAndConfigMaps() {
        String secret = "metadata: {name: s, namespace: d}\nimmutable: true\ndata: {a: YQ==}";
        assertThat(update("v1", "Secret", secret, s -> ((ObjectNode) s.get("data")).put("a", "Yg==")))
                .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
        assertThat(update("v1", "Secret", secret, s -> s.put("type", "kubernetes.io/basic-auth")))
                .contains("type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable");
        assertThat(update("v1", "ConfigMap", "metadata: {name: c, namespace: d}\nimmutable: true\ndata: {a: b}",
                c -> c.put("immutable", false)))
                .containsExactly("immutable: Forbidden: field is immutable when `immutable` is set");
    }

    @Test
    void jobTemplateAndStatefulSetSpec() {
        String job = "metadata: {name: j, namespace: d, uid: u-1}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: a, image: a}]}}}";
        assertThat(update("batch/v1", "Job", job, j -> ((ObjectNode) j.at("/spec/template/spec/containers/0")).put("image", "b")))
                .singleElement().asString().startsWith("spec.template: Invalid value: ").endsWith(": field is immutable");
        String sts = "metadata: {name: s, namespace: d}\nspec: {serviceName: s, selector: {matchLabels: {a: b}}, "
                + "template: {metadata: {labels: {a: b}}, spec: {containers: [{name: a, image: a}]}}}";
        assertThat(update("apps/v1", "StatefulSet", sts, s -> ((ObjectNode) s.get("spec")).put("replicas", 5))).isEmpty();
        assertThat(update("apps/v1", "StatefulSet", sts, s -> ((ObjectNode) s.get("spec")).put("serviceName", "t")))
                .singleElement().asString().startsWith("spec: Forbidden: updates to statefulset spec for fields other than");
    }

    @Test
    void claimSpecIsImmutableExceptResizeWhenBound() {
        String pvc = "metadata: {name: c, namespace: d}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}";
        Consumer<ObjectNode> resize = c -> ((ObjectNode) c.at("/spec/resources/requests")).put("storage", "2Gi");
        assertThat(update("v1", "PersistentVolumeClaim", pvc, resize))
                .singleElement().asString().startsWith("spec: Forbidden: spec is immutable after creation");
        assertThat(update("v1", "PersistentVolumeClaim", pvc + "\nstatus: {phase: Bound}", resize)).isEmpty();
        assertThat(update("v1", "PersistentVolumeClaim", pvc + "\nstatus: {phase: Bound}",
                c -> ((ObjectNode) c.get("spec")).putArray("accessModes").add("ReadWriteMany"))).hasSize(1);
    }
}
