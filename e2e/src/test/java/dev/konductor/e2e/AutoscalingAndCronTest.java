package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 3's acceptance for the time-driven controllers: an HPA following the CPU the sim nodes
 * report (through metrics.k8s.io, as {@code kubectl top} reads it), and a CronJob firing every
 * minute.
 */
// a hang guard above a server start (KonductorCluster.STARTUP) and the bounded waits of one test
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class AutoscalingAndCronTest {

    private static final Duration WAIT = Duration.ofSeconds(150);
    private static KonductorCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KonductorCluster.start("--runtime", "none");
        cluster.sim("metered", 2, "--metrics-interval", "5s");
        cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains(" Ready")).count() == 2,
                "get", "nodes", "--no-headers");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anHpaScalesUpAsCpuRisesAndDownAsItFalls() throws Exception {
        KonductorCluster.Result created = cluster.kubectlWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: load}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: load}}
                  template:
                    metadata:
                      labels: {app: load}
                      annotations: {sim.konductor.dev/cpu-usage: 200m}
                    spec:
                      containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: load}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: load}
                  minReplicas: 1
                  maxReplicas: 4
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
                  behavior:
                    scaleDown: {stabilizationWindowSeconds: 0}
                """, "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.all()).isZero();
        cluster.eventually(WAIT, r -> r.out().trim().equals("4"), "get", "deploy", "load",
                "-o", "jsonpath={.spec.replicas}");
        assertThat(cluster.kubectl("top", "pods", "-l", "app=load").out()).contains("200m");

        cluster.eventually(WAIT, r -> r.exitCode() == 0, "annotate", "pods", "-l", "app=load",
                "sim.konductor.dev/cpu-usage=10m", "--overwrite");
        cluster.eventually(WAIT, r -> r.out().trim().equals("1"), "get", "deploy", "load",
                "-o", "jsonpath={.spec.replicas}");
        assertThat(cluster.kubectl("describe", "hpa", "load").out()).contains("SuccessfulRescale", "New size: 4",
                "New size: 1");
    }

    @Test
    void aCronJobEveryMinuteCreatesJobsThatComplete() throws Exception {
        KonductorCluster.Result created = cluster.kubectl("create", "cronjob", "tick", "--image=busybox",
                "--schedule=* * * * *", "--", "date");
        assertThat(created.exitCode()).as(created.all()).isZero();
        KonductorCluster.Result jobs = cluster.eventually(WAIT, r -> r.out().contains("tick-") && r.out().contains("Complete"),
                "get", "jobs", "--no-headers");
        assertThat(jobs.out()).contains("1/1");
        cluster.eventually(WAIT, r -> !r.out().isBlank(), "get", "cronjob", "tick",
                "-o", "jsonpath={.status.lastSuccessfulTime}");
    }
}
