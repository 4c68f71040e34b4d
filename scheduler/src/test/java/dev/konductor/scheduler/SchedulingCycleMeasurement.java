package dev.konductor.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.scheduler.cache.SchedulerCache;
import dev.konductor.scheduler.config.SchedulerConfiguration;
import dev.konductor.scheduler.events.EventRecorder;
import dev.konductor.scheduler.framework.Framework;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.plugins.volumebinding.FakeVolumes;
import dev.konductor.scheduler.plugins.volumebinding.VolumeBinding;
import dev.konductor.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The scheduling cycle alone, without an API server: pods through {@link ScheduleOne} (queue,
 * snapshot, the default profile's filters and scores, assume, a bind that only records) on 1,000
 * and 5,000 nodes, in CPU time of the scheduling thread. What the cycle costs bounds the
 * scheduler's throughput whatever the API does. A measurement, not a test: it runs only with
 * {@code -Dkonductor.measure=true}.
 */
@EnabledIfSystemProperty(named = "konductor.measure", matches = "true")
class SchedulingCycleMeasurement {

    @Test
    void thousandNodes() throws Exception {
        measure(1000, 20_000);
    }

    @Test
    void fiveThousandNodes() throws Exception {
        measure(5000, 20_000);
    }

    private static void measure(int nodes, int pods) throws Exception {
        ProfileTest.RecordingWriter writer = new ProfileTest.RecordingWriter();
        SchedulerCache cache = new SchedulerCache(ns -> Map.of());
        SchedulingQueue queue = new SchedulingQueue(Clock.systemUTC(), SchedulingQueue.DEFAULT_INITIAL_BACKOFF,
                SchedulingQueue.DEFAULT_MAX_BACKOFF);
        EventRecorder events = new EventRecorder(null, "default-scheduler", "measure", Clock.systemUTC());
        FakeVolumes volumes = new FakeVolumes();
        Framework framework = DefaultProfile.build(SchedulerConfiguration.defaults(), writer, p -> null, null,
                new VolumeBinding(volumes, volumes, Duration.ofSeconds(1), Duration.ofMillis(10)));
        ScheduleOne scheduleOne = new ScheduleOne(queue, cache, framework, null, events, Runnable::run, 0);
        for (int i = 0; i < nodes; i++) {
            cache.addNode(node("node-" + i));
        }
        int warmup = pods / 4;
        for (int i = 0; i < warmup + pods; i++) {
            queue.add(PodInfo.of(pod("pod-" + i)));
        }
        for (int i = 0; i < warmup; i++) {
            scheduleOne.next();
        }
        // CPU time of this thread, not wall time: the machine is shared, and the cycle is single-threaded
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < pods; i++) {
            scheduleOne.next();
        }
        double seconds = (threads.getCurrentThreadCpuTime() - start) / 1e9;
        System.out.printf("CYCLE: %d pods on %d nodes in %.2f CPU s = %.0f pods per CPU second (%.0f µs per pod)%n",
                pods, nodes, seconds, pods / seconds, seconds * 1e6 / pods);
        events.close();
        assertThat(writer.bound).hasSize(warmup + pods);
    }

    private static Node node(String name) {
        return TestObjects.node(name, "32", "256Gi", 110);
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid(UUID.randomUUID().toString()).addToLabels("app", "bench").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withNewResources()
                .addToRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
                .endResources().endContainer().endSpec().build();
    }
}
