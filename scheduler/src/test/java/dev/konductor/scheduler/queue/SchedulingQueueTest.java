package dev.konductor.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.testing.ManualClock;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {


    final ManualClock clock = new ManualClock();
    final SchedulingQueue queue = new SchedulingQueue(clock, Duration.ofSeconds(1), Duration.ofSeconds(10));

    static PodInfo pod(String name, int priority) {
        return PodInfo.of(new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid(UUID.randomUUID().toString()).endMetadata().withNewSpec().withPriority(priority).endSpec()
                .build());
    }

    QueuedPod pop() throws InterruptedException {
        return queue.pop().orElseThrow();
    }

    @Test
    void higherPriorityFirstThenOldest() throws InterruptedException {
        queue.add(pod("low-old", 0));
        clock.advance(Duration.ofMillis(1));
        queue.add(pod("high", 100));
        clock.advance(Duration.ofMillis(1));
        queue.add(pod("low-new", 0));
        assertThat(pop().pod().name()).isEqualTo("high");
        assertThat(pop().pod().name()).isEqualTo("low-old");
        assertThat(pop().pod().name()).isEqualTo("low-new");
    }

    @Test
    void backoffDoublesFromOneSecondUpToTen() {
        assertThat(queue.backoffDuration(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(queue.backoffDuration(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(queue.backoffDuration(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(queue.backoffDuration(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(queue.backoffDuration(30)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void failedPodsWaitOutTheirBackoff() throws InterruptedException {
        queue.add(pod("p", 0));
        QueuedPod qp = pop();
        queue.addBackoff(qp);
        queue.flushBackoffCompleted();
        assertThat(queue.activeCount()).isZero();
        clock.advance(Duration.ofMillis(1001));
        queue.flushBackoffCompleted();
        assertThat(queue.activeCount()).isOne();
        qp = pop();
        assertThat(qp.attempts()).isEqualTo(2);
        queue.addBackoff(qp);
        clock.advance(Duration.ofMillis(1500));
        queue.flushBackoffCompleted();
        assertThat(queue.activeCount()).as("2 s after the second attempt").isZero();
    }

    @Test
    void unschedulablePodsMoveOnAnEventOrAfterFiveMinutes() throws InterruptedException {
        queue.add(pod("a", 0));
        queue.add(pod("b", 0));
        QueuedPod a = pop();
        queue.addUnschedulable(a, queue.schedulingCycle());
        QueuedPod b = pop();
        queue.addUnschedulable(b, queue.schedulingCycle());
        assertThat(queue.unschedulableCount()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(2));
        queue.moveAll(p -> p.pod().name().equals("a"));
        assertThat(queue.activeCount()).isOne();
        assertThat(queue.unschedulableKeys()).containsExactly("default/b");

        clock.advance(Duration.ofMinutes(5));
        queue.flushUnschedulableLeftover();
        assertThat(queue.unschedulableCount()).isZero();
        assertThat(queue.activeCount()).isEqualTo(2);
    }

    @Test
    void anEventDuringTheAttemptSendsTheFailedPodToBackoff() throws InterruptedException {
        queue.add(pod("p", 0));
        QueuedPod qp = pop();
        long cycle = queue.schedulingCycle();
        queue.moveAll(p -> true); // e.g. a node was added while the pod was being scheduled
        queue.addUnschedulable(qp, cycle);
        assertThat(queue.unschedulableCount()).isZero();
        assertThat(queue.backoffCount()).isOne();
    }

    @Test
    void updatingAnUnschedulablePodRetriesIt() throws InterruptedException {
        PodInfo p = pod("p", 0);
        queue.add(p);
        QueuedPod qp = pop();
        queue.addUnschedulable(qp, queue.schedulingCycle());
        clock.advance(Duration.ofSeconds(5));
        queue.update(p);
        assertThat(queue.activeCount()).isOne();
    }

    @Test
    void nominatedPodsAreKeptPerNode() {
        PodInfo p = pod("p", 10);
        queue.nominate(p, "n1");
        assertThat(queue.nominatedPods("n1")).extracting(PodInfo::name).containsExactly("p");
        queue.delete("default/p");
        assertThat(queue.nominatedPods("n1")).isEmpty();
    }
}
