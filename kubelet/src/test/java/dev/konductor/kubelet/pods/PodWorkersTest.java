package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pod workers' promises, against a handler that records what it is asked to do: how often
 * a pod is synced (what its events and the node's load follow), and that a pod is stopped and
 * removed once.
 */
class PodWorkersTest {

    /** Long enough for a worker that wrongly wakes to have done so on this busy machine. */
    private static final long QUIET_MS = 700;

    private final RecordingHandler handler = new RecordingHandler();
    /** No resync during a test, however slowly it runs: every sync counted has a cause. */
    private final PodWorkers workers = new PodWorkers(handler, Clock.systemUTC(), Duration.ofHours(1));

    @AfterEach
    void close() {
        handler.release();
        workers.close();
    }

    private static Pod pod(int resourceVersion) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("u1")
                .withResourceVersion(Integer.toString(resourceVersion)).endMetadata()
                .withNewSpec().withNodeName("n1").withTerminationGracePeriodSeconds(7L)
                .addNewContainer().withName("web").withImage("busybox").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    private static Pod statusWritten(Pod pod, int resourceVersion) {
        return new PodBuilder(pod).editMetadata().withResourceVersion(Integer.toString(resourceVersion)).endMetadata()
                .editStatus().withPhase("Running").withMessage("write " + resourceVersion).endStatus().build();
    }

    private static Pod labelled(Pod pod, String value) {
        return new PodBuilder(pod).editMetadata().addToLabels("n", value).endMetadata().build();
    }

    private static Pod deleting(Pod pod) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp("2025-01-01T00:00:30Z")
                .withDeletionGracePeriodSeconds(30L).endMetadata().build();
    }

    @Test
    void theKubeletsOwnStatusWritesDoNotSyncThePodAgain() throws InterruptedException {
        Pod pod = pod(1);
        workers.update(pod);
        Await.until("first sync", () -> handler.count("sync") == 1);

        for (int rv = 2; rv < 40; rv++) {
            workers.update(statusWritten(pod, rv));
        }
        Thread.sleep(QUIET_MS);
        assertThat(handler.count("sync")).as("status-only updates").isEqualTo(1);

        workers.signal("u1"); // a container changed in the runtime
        Await.until("sync after the runtime's change", () -> handler.count("sync") == 2);
        assertThat(handler.synced.getLast().getStatus().getMessage()).as("it reads the newest status").isEqualTo("write 39");
    }

    @Test
    void updatesArrivingDuringASyncCoalesceIntoOneSyncOfTheNewest() throws InterruptedException {
        handler.holdSyncs();
        workers.update(pod(1));
        Await.until("first sync under way", () -> handler.count("sync") == 1);
        for (int i = 0; i < 50; i++) {
            workers.update(labelled(pod(i + 2), "v" + i));
            workers.signal("u1");
        }

        handler.release();
        Await.until("second sync", () -> handler.count("sync") == 2);
        Thread.sleep(QUIET_MS);
        assertThat(handler.count("sync")).isEqualTo(2);
        assertThat(handler.synced.getLast().getMetadata().getLabels()).containsEntry("n", "v49");
    }

    @Test
    void aBackOffExpiringWakesTheWorkerWithoutAnyUpdate() {
        handler.retryAfter = Optional.of(Duration.ofMillis(200));
        workers.update(pod(1));

        Await.until("synced again when the back-off expired", () -> handler.count("sync") >= 3);
    }

    @Test
    void aDeletedPodIsStoppedThenRemovedOnceAndALateUpdateStartsNothing() throws InterruptedException {
        Pod pod = pod(1);
        workers.update(pod);
        Await.until("running", () -> handler.count("sync") == 1);

        workers.update(deleting(pod(2)));
        Await.until("removed", () -> handler.count("remove") == 1);
        assertThat(handler.calls).containsSubsequence("kill 30", "terminated", "remove");
        Await.until("worker gone", () -> workers.active().isEmpty());

        workers.update(statusWritten(deleting(pod(2)), 3)); // the final status write, seen late
        Thread.sleep(QUIET_MS);
        assertThat(handler.count("kill")).isEqualTo(1);
        assertThat(handler.count("remove")).isEqualTo(1);
        assertThat(handler.count("sync")).isEqualTo(1);
        assertThat(workers.active()).isEmpty();
    }

    @Test
    void aForcedDeletionStopsThePodWithoutWritingToTheApi() {
        workers.update(pod(1));
        Await.until("running", () -> handler.count("sync") == 1);

        workers.deleted(pod(1));

        Await.until("removed", () -> handler.count("remove") == 1);
        assertThat(handler.calls).containsSubsequence("kill 7", "terminated apiDeleted", "remove apiDeleted");
    }

    @Test
    void aFinishedPodIsStoppedOnceAndLeftAloneUntilItIsDeleted() throws InterruptedException {
        handler.finish = true;
        Pod pod = pod(1);
        workers.update(pod);
        Await.until("stopped", () -> handler.count("terminated") == 1);

        workers.update(labelled(pod, "x"));
        workers.signal("u1");
        Thread.sleep(QUIET_MS);
        assertThat(handler.count("sync")).as("a finished pod never runs again").isEqualTo(1);

        workers.update(deleting(labelled(pod, "x")));
        Await.until("removed", () -> handler.count("remove") == 1);
        assertThat(handler.count("kill")).isEqualTo(1);
    }

    @Test
    void whileItsContainersStopThePodsStatusFollowsItsProbes() {
        handler.holdKills();
        workers.update(deleting(pod(1)));
        Await.until("stopping", () -> handler.count("kill") == 1);

        workers.signal("u1"); // a readiness verdict changed
        Await.until("status rewritten while stopping", () -> handler.count("refresh") >= 1);
        assertThat(handler.count("terminated")).isZero();

        handler.release();
        Await.until("removed", () -> handler.count("remove") == 1);
    }

    /** Records every call; syncs and kills can be held until released. */
    private static final class RecordingHandler implements PodSyncHandler {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Pod> synced = new CopyOnWriteArrayList<>();
        volatile Optional<Duration> retryAfter = Optional.empty();
        volatile boolean finish;
        private volatile CountDownLatch syncGate = new CountDownLatch(0);
        private volatile CountDownLatch killGate = new CountDownLatch(0);

        void holdSyncs() {
            syncGate = new CountDownLatch(1);
        }

        void holdKills() {
            killGate = new CountDownLatch(1);
        }

        void release() {
            syncGate.countDown();
            killGate.countDown();
        }

        long count(String call) {
            return calls.stream().filter(c -> c.equals(call) || c.startsWith(call + " ")).count();
        }

        @Override
        public SyncResult syncPod(Pod pod) {
            calls.add("sync");
            synced.add(pod);
            await(syncGate);
            return finish ? new Finished() : new Running(retryAfter);
        }

        @Override
        public void killPod(Pod pod, long gracePeriodSeconds) {
            calls.add("kill " + gracePeriodSeconds);
            await(killGate);
        }

        @Override
        public void refreshTerminatingStatus(Pod pod) {
            calls.add("refresh");
        }

        @Override
        public void syncTerminatedPod(Pod pod, boolean apiDeleted) {
            calls.add(apiDeleted ? "terminated apiDeleted" : "terminated");
        }

        @Override
        public void removePod(Pod pod, boolean apiDeleted) {
            calls.add(apiDeleted ? "remove apiDeleted" : "remove");
        }

        @Override
        public void removeOrphan(String podUid) {
            calls.add("orphan " + podUid);
        }

        private static void await(CountDownLatch gate) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
