package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a newcomer types from a Kubernetes tutorial, with the real kubectl and default flags. */
class KubectlTutorialTest {

    private static KonductorCluster cluster;

    private static final String MANIFEST = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg, namespace: shop}
            data: {k: v}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: sec, namespace: shop}
            stringData: {pw: hunter2}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: IMAGE
                    ports: [{containerPort: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            """;

    @BeforeAll
    static void start() throws Exception {
        cluster = KonductorCluster.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void systemNamespacesExist() throws Exception {
        var r = cluster.kubectl("get", "ns");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("default", "kube-system", "kube-public", "kube-node-lease", "Active");
    }

    @Test
    void applyCreatesThenConfiguresThenDeletes() throws Exception {
        var created = cluster.kubectlWithInput(MANIFEST.replace("IMAGE", "nginx:1.25"), "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.all()).isZero();
        assertThat(created.out()).contains("namespace/shop created", "configmap/cfg created", "secret/sec created",
                "deployment.apps/web created", "service/web created");

        var again = cluster.kubectlWithInput(MANIFEST.replace("IMAGE", "nginx:1.26"), "apply", "-f", "-");
        assertThat(again.out()).contains("deployment.apps/web configured", "configmap/cfg unchanged");

        var yaml = cluster.kubectl("get", "deploy", "web", "-n", "shop", "-o", "yaml");
        assertThat(yaml.out()).contains("image: nginx:1.26", "revisionHistoryLimit: 10", "maxSurge: 25%",
                "progressDeadlineSeconds: 600", "imagePullPolicy: IfNotPresent", "generation: 2");

        var all = cluster.kubectl("get", "all", "-n", "shop");
        assertThat(all.out()).contains("service/web", "ClusterIP", "deployment.apps/web");

        // the namespace stays here; KubectlGenerationsTest deletes a whole manifest, namespace included
        String namespaced = MANIFEST.substring(MANIFEST.indexOf("---") + 3).replace("IMAGE", "nginx:1.26");
        var deleted = cluster.kubectlWithInput(namespaced, "delete", "-f", "-");
        assertThat(deleted.exitCode()).as(deleted.all()).isZero();
        assertThat(deleted.out()).contains("deployment.apps \"web\" deleted");
    }

    @Test
    void imperativeCommandsWork() throws Exception {
        assertThat(cluster.kubectl("create", "deploy", "hello", "--image=busybox").out())
                .contains("deployment.apps/hello created");
        assertThat(cluster.kubectl("scale", "deploy", "hello", "--replicas=3").out())
                .contains("deployment.apps/hello scaled");
        assertThat(cluster.kubectl("get", "deploy", "hello", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("3");
        assertThat(cluster.kubectl("label", "deploy", "hello", "tier=front").out()).contains("labeled");
        assertThat(cluster.kubectl("annotate", "deploy", "hello", "note=hi").out()).contains("annotated");
        assertThat(cluster.kubectl("patch", "deploy", "hello", "-p", "{\"spec\":{\"replicas\":4}}").out())
                .contains("patched");
        assertThat(cluster.kubectl("patch", "deploy", "hello", "--type=merge", "-p",
                "{\"metadata\":{\"labels\":{\"m\":\"1\"}}}").out()).contains("patched");
        assertThat(cluster.kubectl("patch", "deploy", "hello", "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]").out()).contains("patched");
        assertThat(cluster.kubectl("get", "deploy", "hello", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("5");
        var run = cluster.kubectl("run", "web", "--image=nginx", "--port=80");
        assertThat(run.out()).contains("pod/web created");
        assertThat(cluster.kubectl("get", "pod", "web").out()).contains("Pending");
    }

    @Test
    void invalidObjectsAreRefusedNamingTheField() throws Exception {
        var badName = cluster.kubectl("create", "configmap", "Bad_Name");
        assertThat(badName.exitCode()).isNotZero();
        assertThat(badName.err()).contains("is invalid", "metadata.name");

        var badReplicas = cluster.kubectlWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: negative}
                spec:
                  replicas: -1
                  selector: {matchLabels: {app: negative}}
                  template:
                    metadata: {labels: {app: other}}
                    spec: {containers: [{name: c, image: busybox}]}
                """, "apply", "-f", "-");
        assertThat(badReplicas.exitCode()).isNotZero();
        assertThat(badReplicas.err()).contains("spec.replicas", "spec.template.metadata.labels");
        assertThat(cluster.kubectl("get", "deploy", "negative").exitCode()).isNotZero();
    }

    @Test
    void badInputIsRefusedWithUpstreamsMessages() throws Exception {
        var noNamespace = cluster.kubectl("create", "configmap", "x", "-n", "nowhere");
        assertThat(noNamespace.err()).contains("namespaces \"nowhere\" not found");

        var unknownField = cluster.kubectlWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: strict}
                bogus: 1
                """, "apply", "-f", "-");
        assertThat(unknownField.exitCode()).isNotZero();
        assertThat(unknownField.err()).contains("unknown field \"bogus\"");
        assertThat(cluster.kubectl("get", "cm", "strict").exitCode()).isNotZero();
    }
}
