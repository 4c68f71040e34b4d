package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same tutorial session with every kubectl generation we support: the dispatcher's built-in
 * 1.32 and the real 1.28 (legacy-leaning discovery, protobuf OpenAPI v2 for apply), 1.30 (JSON
 * bodies) and 1.33 (protobuf bodies, autoscaling/v2). Each generation gets its own HOME, so its
 * discovery and OpenAPI caches start cold, and its own namespace.
 */
class KubectlGenerationsTest {

    private static final Path SDK = Path.of("/usr/lib/google-cloud-sdk/bin");

    private static KonductorCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KonductorCluster.start("--runtime", "sim");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static final String MANIFEST = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: NS}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg, namespace: NS}
            data: {greeting: hello}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: NS}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: web, image: IMAGE, ports: [{containerPort: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: NS}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            """;

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {"1.28", "1.30", "1.32", "1.33"})
    void aTutorialSessionWorksWithEveryGeneration(String version) throws Exception {
        Kubectl k = Kubectl.of(version);
        String ns = "gen-" + version.replace('.', '-');
        String manifest = MANIFEST.replace("NS", ns);

        var created = k.run(manifest.replace("IMAGE", "nginx:1.25"), "apply", "-f", "-");
        assertThat(created.out()).as(created.all())
                .contains("namespace/" + ns + " created", "deployment.apps/web created", "service/web created");
        var configured = k.run(manifest.replace("IMAGE", "nginx:1.26"), "apply", "-f", "-");
        assertThat(configured.out()).as(configured.all())
                .contains("deployment.apps/web configured", "configmap/cfg unchanged");
        var ssa = k.run(manifest.replace("IMAGE", "nginx:1.26").replace("hello", "bonjour"),
                "apply", "--server-side", "--force-conflicts", "-f", "-");
        assertThat(ssa.out()).as(ssa.all()).contains("configmap/cfg serverside-applied");

        assertThat(k.run(null, "-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
                .out()).isEqualTo("nginx:1.26");
        assertThat(k.run(null, "-n", ns, "create", "deploy", "api", "--image=busybox").out())
                .contains("deployment.apps/api created");
        assertThat(k.run(null, "-n", ns, "scale", "deploy", "api", "--replicas=3").out()).contains("scaled");
        assertThat(k.run(null, "-n", ns, "autoscale", "deploy", "api", "--max=5", "--cpu-percent=80").out())
                .contains("horizontalpodautoscaler.autoscaling/api autoscaled");
        assertThat(k.run(null, "-n", ns, "label", "deploy", "api", "tier=back").out()).contains("labeled");
        assertThat(k.run(null, "-n", ns, "patch", "deploy", "api", "--type=merge", "-p",
                "{\"metadata\":{\"annotations\":{\"owner\":\"me\"}}}").out()).contains("patched");

        var edited = k.runWithEnv("EDITOR", "sed -i s/greeting:.*/greeting:\\ edited/", "-n", ns, "edit", "cm", "cfg");
        assertThat(edited.out()).as(edited.all()).contains("configmap/cfg edited");
        assertThat(k.run(null, "-n", ns, "get", "cm", "cfg", "-o", "jsonpath={.data.greeting}").out()).isEqualTo("edited");

        var explain = k.run(null, "explain", "deployment.spec.replicas");
        assertThat(explain.out()).as(explain.all()).contains("replicas", "integer", "Number of desired pods");

        var wide = k.run(null, "-n", ns, "get", "pods", "-o", "wide");
        assertThat(wide.exitCode()).as(wide.all()).isZero();
        var events = cluster.eventually(java.time.Duration.ofSeconds(60),
                r -> r.out().contains("ScalingReplicaSet"), "-n", ns, "get", "events");
        assertThat(events.out()).contains("deployment/web");

        var deleted = k.run(manifest.replace("IMAGE", "nginx:1.26"), "delete", "-f", "-");
        assertThat(deleted.out()).as(deleted.all()).contains("namespace \"" + ns + "\" deleted");
        assertThat(k.run(null, "get", "ns", ns).exitCode()).isNotZero();
    }

    @Test
    void getWatchStreamsAnotherClientsChanges() throws Exception {
        assertThat(cluster.kubectl("create", "ns", "watched").exitCode()).isZero();
        Path out = Files.createTempFile(cluster.dir, "watch", ".txt");
        ProcessBuilder watch = new ProcessBuilder("/usr/bin/kubectl", "-n", "watched", "get", "configmaps",
                "--watch-only", "-o", "name");
        watch.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
        watch.environment().put("HOME", cluster.dir.toString());
        Process watcher = watch.redirectOutput(out.toFile()).redirectErrorStream(true).start();
        try {
            // --watch-only prints nothing kubectl listed before it watched: only once the watch has shown
            // a change is every later change certain to appear (a fixed pause is a guess a loaded
            // machine can beat)
            long opened = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (int probe = 0; !Files.readString(out).contains("configmap/probe-"); probe++) {
                assertThat(System.nanoTime()).as("the watch shows a change within 120 s").isLessThan(opened);
                cluster.kubectl("-n", "watched", "create", "configmap", "probe-" + probe);
                Thread.sleep(500);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(cluster.kubectl("-n", "watched", "create", "configmap", "c" + i).exitCode()).isZero();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !Files.readString(out).contains("configmap/c2")) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(out)).contains("configmap/c0", "configmap/c1", "configmap/c2");
        } finally {
            watcher.destroy();
            watcher.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One kubectl binary with a HOME of its own. */
    private record Kubectl(String binary, Path home) {

        static Kubectl of(String version) throws Exception {
            String binary = version.equals("1.32") ? "/usr/bin/kubectl" : SDK.resolve("kubectl." + version).toString();
            assumeTrue(Files.isExecutable(Path.of(binary)), "skipped: " + binary + " is not installed");
            return new Kubectl(binary, Files.createDirectories(cluster.dir.resolve("home-" + version)));
        }

        KonductorCluster.Result run(String stdin, String... args) throws Exception {
            return cluster.runAs(binary, home, java.util.Map.of(), stdin, args);
        }

        KonductorCluster.Result runWithEnv(String name, String value, String... args) throws Exception {
            return cluster.runAs(binary, home, java.util.Map.of(name, value), null, args);
        }
    }
}
