package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 3's acceptance for workloads, as a new user would try it: the real kubectl against a
 * server with three simulated nodes.
 */
// a hang guard above a server start (KonductorCluster.STARTUP) and the bounded waits of one test
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class DeploymentRolloutTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static KonductorCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KonductorCluster.start("--runtime", "none");
        cluster.sim("node", 3);
        cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains(" Ready")).count() == 3,
                "get", "nodes", "--no-headers");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static long running(KonductorCluster.Result r) {
        return r.out().lines().filter(l -> l.contains("Running")).count();
    }

    private static long lines(KonductorCluster.Result r) {
        return r.out().lines().filter(l -> !l.isBlank()).count();
    }

    @Test
    void aDeploymentScalesHealsRollsOutAndRollsBack() throws Exception {
        ok("create", "ns", "roll");
        ok("-n", "roll", "create", "deploy", "web", "--image=busybox", "--replicas=3");
        cluster.eventually(WAIT, r -> running(r) == 3, "-n", "roll", "get", "pods", "-l", "app=web", "--no-headers");

        ok("-n", "roll", "scale", "deploy/web", "--replicas=10");
        cluster.eventually(WAIT, r -> running(r) == 10, "-n", "roll", "get", "pods", "-l", "app=web", "--no-headers");
        ok("-n", "roll", "scale", "deploy/web", "--replicas=2");
        cluster.eventually(WAIT, r -> lines(r) == 2 && running(r) == 2,
                "-n", "roll", "get", "pods", "-l", "app=web", "--no-headers");

        String victim = ok("-n", "roll", "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}");
        ok("-n", "roll", "delete", "pod", victim);
        cluster.eventually(WAIT, r -> running(r) == 2 && !r.out().contains(victim),
                "-n", "roll", "get", "pods", "-l", "app=web", "--no-headers");

        ok("-n", "roll", "annotate", "deploy/web", "kubernetes.io/change-cause=first image");
        ok("-n", "roll", "set", "image", "deploy/web", "busybox=busybox:1.36");
        ok("-n", "roll", "annotate", "deploy/web", "kubernetes.io/change-cause=second image", "--overwrite");
        assertThat(ok("-n", "roll", "rollout", "status", "deploy/web", "--timeout=90s"))
                .contains("successfully rolled out");
        String history = ok("-n", "roll", "rollout", "history", "deploy/web");
        assertThat(history).contains("REVISION").containsPattern("1\\s+first image").containsPattern("2\\s+second image");

        ok("-n", "roll", "rollout", "undo", "deploy/web");
        ok("-n", "roll", "rollout", "status", "deploy/web", "--timeout=90s");
        assertThat(image()).isEqualTo("busybox");
        ok("-n", "roll", "rollout", "undo", "deploy/web", "--to-revision=2");
        ok("-n", "roll", "rollout", "status", "deploy/web", "--timeout=90s");
        assertThat(image()).isEqualTo("busybox:1.36");
        assertThat(ok("-n", "roll", "get", "rs", "--no-headers").lines().count())
                .as("rollbacks reuse the old ReplicaSets").isEqualTo(2);

        ok("-n", "roll", "rollout", "pause", "deploy/web");
        ok("-n", "roll", "set", "image", "deploy/web", "busybox=busybox:1.37");
        Thread.sleep(2000);
        assertThat(ok("-n", "roll", "get", "rs", "--no-headers").lines().count())
                .as("a paused deployment starts no rollout").isEqualTo(2);
        ok("-n", "roll", "rollout", "resume", "deploy/web");
        ok("-n", "roll", "rollout", "status", "deploy/web", "--timeout=90s");
        cluster.eventually(WAIT, r -> Arrays.stream(r.out().split(" ")).filter(i -> !i.isBlank())
                        .allMatch(i -> i.equals("busybox:1.37")) && !r.out().isBlank(),
                "-n", "roll", "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}");

        KonductorCluster.Result deleted = cluster.kubectl("-n", "roll", "delete", "deploy", "web");
        assertThat(deleted.exitCode()).as(deleted.all()).isZero();
        cluster.eventually(WAIT, r -> r.out().isBlank(), "-n", "roll", "get", "rs,pods", "--no-headers");
    }

    @Test
    void aJobRunsItsCompletionsAndAnEmptiedNamespaceGoesAway() throws Exception {
        ok("create", "ns", "batch");
        KonductorCluster.Result created = cluster.kubectlWithInput("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: five, namespace: batch}
                spec:
                  completions: 5
                  parallelism: 2
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: c, image: busybox, command: [sh, -c, "true"]}]
                """, "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.all()).isZero();
        assertThat(ok("-n", "batch", "wait", "--for=condition=complete", "job/five", "--timeout=120s"))
                .contains("condition met");
        assertThat(ok("-n", "batch", "get", "job", "five", "--no-headers")).contains("5/5");

        KonductorCluster.Result deleted = cluster.kubectl("delete", "ns", "batch", "--timeout=90s");
        assertThat(deleted.exitCode()).as(deleted.all()).isZero();
        assertThat(cluster.kubectl("get", "ns", "batch").err()).contains("not found");
    }

    private static String image() throws Exception {
        return ok("-n", "roll", "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}");
    }

    private static String ok(String... args) throws Exception {
        KonductorCluster.Result result = cluster.kubectl(args);
        assertThat(result.exitCode()).as("kubectl %s: %s", String.join(" ", args), result.all()).isZero();
        return result.out();
    }
}
