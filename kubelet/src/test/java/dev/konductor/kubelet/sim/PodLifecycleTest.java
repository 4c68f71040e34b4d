package dev.konductor.kubelet.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pod state machine, one transition per test. */
class PodLifecycleTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final SimSettings settings = new SimSettings("n", 1, "4", "8Gi", 110)
            .withPodTimings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(2));

    @Test
    void pendingPodWaitsForTheStartDelayThenStarts() {
        Pod pod = pod().build();
        assertThat(PodLifecycle.next(pod, T0, T0.plusMillis(300), settings))
                .isEqualTo(new PodLifecycle.WaitUntil(T0.plusSeconds(1)));
        assertThat(PodLifecycle.next(pod, T0, T0.plusSeconds(1), settings)).isEqualTo(new PodLifecycle.Start(true));
    }

    @Test
    void readinessAnnotationStartsUnreadyAndFlipsARunningPod() {
        Pod unready = pod().editMetadata().addToAnnotations(SimAnnotations.READY, "false").endMetadata().build();
        assertThat(PodLifecycle.next(unready, T0, T0.plusSeconds(2), settings)).isEqualTo(new PodLifecycle.Start(false));
        Pod runningReady = running(unready, true);
        assertThat(PodLifecycle.next(runningReady, T0, T0.plusSeconds(3), settings))
                .isEqualTo(new PodLifecycle.SetReadiness(false));
        assertThat(PodLifecycle.next(running(unready, false), T0, T0.plusSeconds(3), settings))
                .isEqualTo(new PodLifecycle.Idle());
    }

    @Test
    void jobPodsFinishAfterTheJobDurationWithTheirExitCode() {
        Pod job = pod().editMetadata().addNewOwnerReference().withApiVersion("batch/v1").withKind("Job")
                .withName("j").withUid("u").endOwnerReference().endMetadata().build();
        Pod running = running(job, true);
        assertThat(PodLifecycle.next(running, T0, T0.plusSeconds(3), settings))
                .isEqualTo(new PodLifecycle.WaitUntil(T0.plusSeconds(6)));
        assertThat(PodLifecycle.next(running, T0, T0.plusSeconds(6), settings)).isEqualTo(new PodLifecycle.Finish(0));
        Pod failing = new PodBuilder(running).editMetadata().addToAnnotations(SimAnnotations.EXIT_CODE, "3")
                .endMetadata().build();
        assertThat(PodLifecycle.next(failing, T0, T0.plusSeconds(7), settings)).isEqualTo(new PodLifecycle.Finish(3));
        Pod done = new PodBuilder(running).withStatus(PodStatuses.finished(running, 0, "2025-01-01T00:00:06Z")).build();
        assertThat(done.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(PodLifecycle.next(done, T0, T0.plusSeconds(60), settings)).isEqualTo(new PodLifecycle.Idle());
    }

    @Test
    void otherPodsRunUntilDeletedUnlessAnnotated() {
        Pod plain = running(pod().build(), true);
        assertThat(PodLifecycle.next(plain, T0, T0.plusSeconds(3600), settings)).isEqualTo(new PodLifecycle.Idle());
        Pod timed = running(pod().editMetadata().addToAnnotations(SimAnnotations.RUN_DURATION, "1m30s").endMetadata()
                .build(), true);
        assertThat(PodLifecycle.next(timed, T0, T0.plusSeconds(90), settings))
                .isEqualTo(new PodLifecycle.WaitUntil(T0.plusSeconds(91)));
    }

    @Test
    void deletionWaitsForTheGracePeriodCappedByTheSettings() {
        // deleted at T0 with 30 s: the server wrote deletionTimestamp T0+30s
        Pod deleting = pod().editMetadata().withDeletionTimestamp(T0.plusSeconds(30).toString())
                .withDeletionGracePeriodSeconds(30L).endMetadata().build();
        assertThat(PodLifecycle.next(deleting, T0, T0.plusSeconds(1), settings))
                .isEqualTo(new PodLifecycle.WaitUntil(T0.plusSeconds(2)));
        assertThat(PodLifecycle.next(deleting, T0, T0.plusSeconds(2), settings)).isEqualTo(new PodLifecycle.Finalize());
        Pod shortGrace = pod().editMetadata().withDeletionTimestamp(T0.plusSeconds(1).toString())
                .withDeletionGracePeriodSeconds(1L).endMetadata().build();
        assertThat(PodLifecycle.next(shortGrace, T0, T0, settings)).isEqualTo(new PodLifecycle.WaitUntil(T0.plusSeconds(1)));
    }

    @Test
    void durationsParseAsGoWritesThem() {
        assertThat(PodLifecycle.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(PodLifecycle.parseDuration("2h1m")).isEqualTo(Duration.ofMinutes(121));
        assertThat(PodLifecycle.parseDuration("ten")).isNull();
        assertThat(PodLifecycle.parseDuration("5")).isNull();
    }

    @Test
    void settingsFailFast() {
        assertThatThrownBy(() -> new SimSettings("n", 0, "4", "8Gi", 110))
                .hasMessage("nodes must be at least 1: 0");
        assertThatThrownBy(() -> new AddressPlan(3_000_000, 110))
                .hasMessageContaining("240.0.0.0/4 cannot hold 3000000 simulated nodes of 110 pods each");
    }

    @Test
    void moreNodesThanTheBenchmarkRangeHoldsMoveToTheReservedRange() {
        assertThat(new AddressPlan(1000, 110).range()).isEqualTo("198.18.0.0/15");
        AddressPlan plan = new AddressPlan(5000, 110);
        assertThat(plan.range()).isEqualTo("240.0.0.0/4");
        assertThat(plan.nodeAddress(0)).isEqualTo("240.0.0.1");
        assertThat(plan.nodeAddress(4999)).isEqualTo("240.0.19.136");
        // 40 blocks of 128 hold the 5000 node addresses, then one block per node
        assertThat(plan.podCidr(0)).isEqualTo("240.0.20.0/25");
        assertThat(plan.podCidr(4999)).isEqualTo("240.9.215.128/25");
    }

    @Test
    void addressPlanGivesEveryNodeItsOwnRange() {
        AddressPlan plan = new AddressPlan(1000, 110);
        assertThat(plan.nodeAddress(0)).isEqualTo("198.18.0.1");
        assertThat(plan.nodeAddress(999)).isEqualTo("198.18.3.232");
        assertThat(plan.podCidr(0)).isEqualTo("198.18.4.0/25");
        assertThat(plan.podCidr(999)).isEqualTo("198.19.247.128/25");
        PodAddresses pool = new PodAddresses(Ipv4.Cidr.parseOrNull(plan.podCidr(0)));
        assertThat(pool.allocate()).isEqualTo("198.18.4.2");
        assertThat(pool.reserve("198.18.4.3")).isTrue();
        assertThat(pool.allocate()).isEqualTo("198.18.4.4");
        for (int i = 0; i < 122; i++) {
            assertThat(pool.allocate()).isNotNull();
        }
        assertThat(pool.allocate()).isNull();
        pool.release("198.18.4.50");
        assertThat(pool.allocate()).isEqualTo("198.18.4.50");
    }

    @Test
    void imagesAreNormalisedAsARuntimeReportsThem() {
        assertThat(PodStatuses.normalizedImage("nginx")).isEqualTo("docker.io/library/nginx:latest");
        assertThat(PodStatuses.normalizedImage("bitnami/redis:7")).isEqualTo("docker.io/bitnami/redis:7");
        assertThat(PodStatuses.normalizedImage("registry.k8s.io/pause:3.10")).isEqualTo("registry.k8s.io/pause:3.10");
        assertThat(PodStatuses.normalizedImage("localhost:5000/app")).isEqualTo("localhost:5000/app:latest");
    }

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("uid-1").endMetadata()
                .withNewSpec().withNodeName("n").addNewContainer().withName("app").withImage("nginx").endContainer()
                .endSpec().withNewStatus().withPhase("Pending").endStatus();
    }

    private static Pod running(Pod pod, boolean ready) {
        return new PodBuilder(pod).withStatus(PodStatuses.running(pod, "198.18.0.1", "198.18.4.2",
                "2025-01-01T00:00:01Z", ready, "2025-01-01T00:00:01Z")).build();
    }
}
