package dev.konductor.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.scheduler.cache.SchedulerCache;
import dev.konductor.scheduler.config.SchedulerConfiguration;
import dev.konductor.scheduler.events.EventRecorder;
import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.Framework;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.PodWriter;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.plugins.volumebinding.FakeVolumes;
import dev.konductor.scheduler.plugins.volumebinding.VolumeBinding;
import dev.konductor.scheduler.preemption.DefaultPreemption;
import dev.konductor.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The default profile end to end on a cache snapshot: placement, the FitError text, preemption choices. */
class ProfileTest {

    /** Records what the scheduler would write to the API. */
    static final class RecordingWriter implements PodWriter {
        final List<String> bound = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        final List<String> patched = new ArrayList<>();

        @Override
        public void bind(Pod pod, String node) {
            bound.add(pod.getMetadata().getName() + "->" + node);
        }

        @Override
        public void patchStatus(Pod pod, String patch) {
            patched.add(pod.getMetadata().getName() + ":" + patch);
        }

        @Override
        public void delete(Pod pod) {
            deleted.add(pod.getMetadata().getName());
        }
    }

    final RecordingWriter writer = new RecordingWriter();
    final SchedulerCache cache = new SchedulerCache(ns -> Map.of());
    final SchedulingQueue queue = new SchedulingQueue(Clock.systemUTC(), SchedulingQueue.DEFAULT_INITIAL_BACKOFF,
            SchedulingQueue.DEFAULT_MAX_BACKOFF);
    final List<PodDisruptionBudget> budgets = new ArrayList<>();
    final Framework[] framework = new Framework[1];
    final ScheduleOne scheduleOne;

    ProfileTest() {
        // no client: the events' writes fail and are dropped, as a best-effort recorder does
        EventRecorder events = new EventRecorder(null, "default-scheduler", "test", Clock.systemUTC());
        DefaultPreemption preemption = new DefaultPreemption(() -> framework[0], queue, () -> budgets, writer, events,
                Clock.systemUTC(), "default-scheduler", p -> { });
        FakeVolumes volumes = new FakeVolumes();
        framework[0] = DefaultProfile.build(SchedulerConfiguration.defaults(), writer, p -> null, preemption,
                new VolumeBinding(volumes, volumes, Duration.ofSeconds(1), Duration.ofMillis(10)));
        scheduleOne = new ScheduleOne(queue, cache, framework[0], null, events, Runnable::run, 0);
    }

    static Node node(String name, String cpu) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
                .endMetadata().withNewSpec().endSpec().withNewStatus()
                .addToAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity("8Gi"),
                        "pods", new Quantity("110"))).endStatus().build();
    }

    static Pod pod(String name, String cpu, int priority, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid(UUID.randomUUID().toString()).addToLabels("app", name).endMetadata()
                .withNewSpec().withPriority(priority).withNodeName(node).addNewContainer().withName("c")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec()
                .build();
    }

    ScheduleOne.Result schedule(Pod pod) {
        Snapshot snapshot = cache.updateSnapshot();
        return scheduleOne.schedule(new CycleState(snapshot), PodInfo.of(pod), snapshot);
    }

    @Test
    void placesOnTheLeastAllocatedNode() {
        cache.addNode(node("n1", "4"));
        cache.addNode(node("n2", "4"));
        cache.addPod(PodInfo.of(pod("busy", "3", 0, "n1")));
        assertThat(schedule(pod("p", "500m", 0, null))).isEqualTo(new ScheduleOne.Result.Placed("n2"));
    }

    @Test
    void anAssumedPodCountsBeforeTheInformerSeesIt() {
        cache.addNode(node("n1", "1"));
        cache.assume(PodInfo.of(pod("first", "800m", 0, "n1")), "n1");
        assertThat(schedule(pod("second", "500m", 0, null))).isInstanceOf(ScheduleOne.Result.Unfit.class);
        cache.forget(PodInfo.of(pod("first", "800m", 0, "n1")));
    }

    @Test
    void fitErrorMessageCountsReasonsPerNode() {
        cache.addNode(node("n1", "1"));
        cache.addNode(node("n2", "1"));
        cache.addNode(new NodeBuilder(node("n3", "8")).editSpec().withUnschedulable(true).endSpec().build());
        ScheduleOne.Result result = schedule(pod("p", "2", 0, null));
        assertThat(result).isInstanceOfSatisfying(ScheduleOne.Result.Unfit.class, u -> assertThat(u.error().message())
                .isEqualTo("0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu."));
    }

    @Test
    void preemptionPicksTheNodeWithTheLeastImportantVictimsAndSparesBudgetedPods() {
        cache.addNode(node("n1", "1"));
        cache.addNode(node("n2", "1"));
        Pod budgeted = pod("budgeted", "1", 10, "n1");
        Pod important = pod("important", "1", 50, "n2");
        cache.addPod(PodInfo.of(budgeted));
        cache.addPod(PodInfo.of(important));
        budgets.add(new PodDisruptionBudgetBuilder().withNewMetadata().withName("pdb").withNamespace("default")
                .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "budgeted").endSelector()
                .endSpec().withNewStatus().withDisruptionsAllowed(0).endStatus().build());
        Pod preemptor = pod("preemptor", "1", 100, null);
        Snapshot snapshot = cache.updateSnapshot();
        CycleState state = new CycleState(snapshot);
        var result = (ScheduleOne.Result.Unfit) scheduleOne.schedule(state, PodInfo.of(preemptor), snapshot);
        var post = framework[0].runPostFilter(state, PodInfo.of(preemptor), result.error().statuses());
        // evicting "budgeted" would break its PDB, so the more important but unprotected pod goes
        assertThat(post.nominatedNode()).isEqualTo("n2");
        assertThat(writer.deleted).containsExactly("important");
        assertThat(writer.patched).anySatisfy(p -> assertThat(p).startsWith("important:")
                .contains("\"type\":\"DisruptionTarget\"").contains("\"reason\":\"PreemptionByScheduler\""));
    }

    @Test
    void preemptionIsNotHelpfulAgainstUnresolvableReasons() {
        cache.addNode(new NodeBuilder(node("n1", "8")).editSpec().withUnschedulable(true).endSpec().build());
        Pod preemptor = pod("preemptor", "1", 100, null);
        Snapshot snapshot = cache.updateSnapshot();
        CycleState state = new CycleState(snapshot);
        var result = (ScheduleOne.Result.Unfit) scheduleOne.schedule(state, PodInfo.of(preemptor), snapshot);
        var post = framework[0].runPostFilter(state, PodInfo.of(preemptor), result.error().statuses());
        assertThat(result.error().withPostFilterMessage(post.status().message()).message()).isEqualTo(
                "0/1 nodes are available: 1 node(s) were unschedulable. "
                        + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
        assertThat(writer.deleted).isEmpty();
    }
}
