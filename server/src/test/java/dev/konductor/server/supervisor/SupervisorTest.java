package dev.konductor.server.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SupervisorTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Test
    void startsInDependencyOrderGatedOnReadinessAndStopsInReverse() throws Exception {
        FakeComponent store = new FakeComponent("store", Set.of()).readyAfterPolls(3);
        FakeComponent apiServer = new FakeComponent("apiserver", Set.of("store"));
        FakeComponent scheduler = new FakeComponent("scheduler", Set.of("apiserver"));
        // Listed out of order on purpose: the order comes from dependsOn, not from the list.
        Supervisor supervisor = new Supervisor(List.of(scheduler, apiServer, store), LONG, LONG);

        assertThat(supervisor.start()).isTrue();
        supervisor.stop();

        assertThat(events).containsExactly(
                "start store", "ready store", "start apiserver", "ready apiserver", "start scheduler", "ready scheduler",
                "stop scheduler", "stop apiserver", "stop store");
    }

    @Test
    void startsIndependentComponentsInParallel() throws Exception {
        // Each start waits for the other to have begun: this only finishes if both run at once.
        CyclicBarrier bothStarted = new CyclicBarrier(2);
        FakeComponent store = new FakeComponent("store", Set.of()).onStart(() -> bothStarted.await(5, TimeUnit.SECONDS));
        FakeComponent certificates = new FakeComponent("certificates", Set.of()).onStart(() -> bothStarted.await(5, TimeUnit.SECONDS));
        Supervisor supervisor = new Supervisor(List.of(store, certificates), LONG, LONG);

        supervisor.start();

        assertThat(store.ready()).isTrue();
        assertThat(certificates.ready()).isTrue();
        supervisor.stop();
    }

    @Test
    void startFailureIsReportedAndDependentsNeverStart() throws Exception {
        FakeComponent store = new FakeComponent("store", Set.of());
        FakeComponent apiServer = new FakeComponent("apiserver", Set.of("store"))
                .onStart(() -> {
                    throw new IllegalStateException("port 6443 is already in use");
                });
        FakeComponent scheduler = new FakeComponent("scheduler", Set.of("apiserver"));
        Supervisor supervisor = new Supervisor(List.of(store, apiServer, scheduler), LONG, LONG);

        assertThatThrownBy(supervisor::start)
                .isInstanceOfSatisfying(ComponentFailure.class, failure -> {
                    assertThat(failure.component()).isEqualTo("apiserver");
                    assertThat(failure.phase()).isEqualTo(ComponentFailure.Phase.START);
                    assertThat(failure.isExplained()).isTrue();
                })
                .hasMessage("component apiserver failed to start: port 6443 is already in use");
        supervisor.stop();

        assertThat(events).containsExactly("start store", "ready store", "start apiserver", "stop apiserver", "stop store");
    }

    @Test
    void componentThatNeverBecomesReadyTimesOut() {
        FakeComponent stuck = new FakeComponent("stuck", Set.of()).readyAfterPolls(Integer.MAX_VALUE);
        Supervisor supervisor = new Supervisor(List.of(stuck), Duration.ofMillis(50), LONG);

        assertThatThrownBy(supervisor::start)
                .isInstanceOfSatisfying(ComponentFailure.class,
                        failure -> assertThat(failure.phase()).isEqualTo(ComponentFailure.Phase.READINESS))
                .hasMessageContaining("component stuck did not become ready: not ready after 50ms");
        supervisor.stop();
    }

    @Test
    void componentDyingAfterStartEndsTheRunWithItsFailure() throws Exception {
        FakeComponent store = new FakeComponent("store", Set.of());
        FakeComponent controller = new FakeComponent("controller", Set.of("store"));
        Supervisor supervisor = new Supervisor(List.of(store, controller), LONG, LONG);
        supervisor.start();

        controller.monitor.died(new IllegalStateException("lost its watch"));

        Optional<ComponentFailure> failure = supervisor.awaitTermination();
        assertThat(failure).get().satisfies(f -> {
            assertThat(f.component()).isEqualTo("controller");
            assertThat(f.phase()).isEqualTo(ComponentFailure.Phase.RUNNING);
            assertThat(f).hasMessage("component controller died: lost its watch");
        });
        supervisor.stop();
        assertThat(events).endsWith("stop controller", "stop store");
    }

    @Test
    void stopEndsTheRunWithoutFailureAndIsIdempotent() throws Exception {
        FakeComponent store = new FakeComponent("store", Set.of());
        Supervisor supervisor = new Supervisor(List.of(store), LONG, LONG);
        supervisor.start();

        supervisor.stop();
        supervisor.stop();

        assertThat(supervisor.awaitTermination()).isEmpty();
        assertThat(events).containsExactly("start store", "ready store", "stop store");
    }

    @Test
    void deathReportedWhileStoppingIsNotAFailure() throws Exception {
        FakeComponent store = new FakeComponent("store", Set.of());
        store.onStop(() -> store.monitor.died(new IllegalStateException("connection closed")));
        Supervisor supervisor = new Supervisor(List.of(store), LONG, LONG);
        supervisor.start();

        supervisor.stop();

        assertThat(supervisor.awaitTermination()).isEmpty();
    }

    @Test
    void stopDuringStartStopsWhatWasStartedAndStartReturns() throws Exception {
        CountDownLatch startEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeComponent slow = new FakeComponent("slow", Set.of()).onStart(() -> {
            startEntered.countDown();
            release.await(5, TimeUnit.SECONDS);
        });
        slow.onStop(release::countDown);
        FakeComponent dependent = new FakeComponent("dependent", Set.of("slow"));
        Supervisor supervisor = new Supervisor(List.of(slow, dependent), LONG, LONG);
        Thread starter = Thread.ofVirtual().start(() -> {
            try {
                events.add("start returned " + supervisor.start());
            } catch (Exception e) {
                events.add("start threw " + e);
            }
        });
        assertThat(startEntered.await(5, TimeUnit.SECONDS)).isTrue();

        supervisor.stop();

        assertThat(starter.join(Duration.ofSeconds(5))).isTrue();
        assertThat(events).contains("start slow", "stop slow", "start returned false").doesNotContain("start dependent")
                .noneMatch(event -> event.startsWith("start threw"));
    }

    @Test
    void stopThatHangsIsAbandonedAfterTheStopTimeout() throws Exception {
        FakeComponent hanging = new FakeComponent("hanging", Set.of()).onStop(() -> Thread.sleep(60_000));
        FakeComponent store = new FakeComponent("store", Set.of());
        Supervisor supervisor = new Supervisor(List.of(store, hanging), LONG, Duration.ofMillis(50));
        supervisor.start();

        supervisor.stop();

        assertThat(events).contains("stop store");
    }

    @Test
    void aComponentThatNeedsLongerToStopIsWaitedForAsLongAsItSays() throws Exception {
        FakeComponent slowToStop = new FakeComponent("containerd", Set.of())
                .onStop(() -> {
                    Thread.sleep(300);
                    events.add("removed the pods");
                }).stopTimeout(LONG);
        FakeComponent node = new FakeComponent("node", Set.of("containerd"));
        Supervisor supervisor = new Supervisor(List.of(slowToStop, node), LONG, Duration.ofMillis(50));
        supervisor.start();

        supervisor.stop();

        assertThat(events).endsWith("stop node", "stop containerd", "removed the pods");
    }

    @Test
    void aComponentStoppedWhileStartingIsStoppedOnlyOnceItsStartReturned() throws Exception {
        // The run fails while the proxy is still adding its table: its stop must come after the
        // start, or the start would add what nothing removes.
        CountDownLatch proxyStarting = new CountDownLatch(1);
        FakeComponent proxy = new FakeComponent("proxy", Set.of()).onStart(() -> {
            proxyStarting.countDown();
            Thread.sleep(300);
            events.add("proxy table added");
        });
        FakeComponent containerd = new FakeComponent("containerd", Set.of()).onStart(() -> {
            proxyStarting.await(5, TimeUnit.SECONDS);
            throw new IllegalStateException("containerd failed to start");
        });
        Supervisor supervisor = new Supervisor(List.of(proxy, containerd), LONG, LONG);

        assertThatThrownBy(supervisor::start).isInstanceOf(ComponentFailure.class);
        supervisor.stop();

        assertThat(events).containsSubsequence("proxy table added", "stop proxy");
    }

    @Test
    void rejectsUnknownDependenciesCyclesAndDuplicateNames() {
        assertThatThrownBy(() -> new Supervisor(List.of(new FakeComponent("a", Set.of("b"))), LONG, LONG))
                .hasMessage("component a depends on unknown component b");
        assertThatThrownBy(() -> new Supervisor(List.of(
                new FakeComponent("a", Set.of("b")), new FakeComponent("b", Set.of("a"))), LONG, LONG))
                .hasMessageContaining("cycle: a -> b -> a");
        assertThatThrownBy(() -> new Supervisor(List.of(
                new FakeComponent("a", Set.of()), new FakeComponent("a", Set.of())), LONG, LONG))
                .hasMessage("two components are named a");
    }

    /** A component that records its lifecycle in {@link #events}. */
    private final class FakeComponent implements Component {
        private final String name;
        private final Set<String> dependsOn;
        private Action onStart = () -> { };
        private Action onStop = () -> { };
        private int pollsUntilReady = 0;
        private Optional<Duration> stopTimeout = Optional.empty();
        private volatile boolean started;
        private volatile boolean reportedReady;
        private int polls;
        volatile Monitor monitor;

        FakeComponent(String name, Set<String> dependsOn) {
            this.name = name;
            this.dependsOn = dependsOn;
        }

        FakeComponent onStart(Action action) {
            onStart = action;
            return this;
        }

        FakeComponent onStop(Action action) {
            onStop = action;
            return this;
        }

        FakeComponent stopTimeout(Duration timeout) {
            stopTimeout = Optional.of(timeout);
            return this;
        }

        @Override
        public Optional<Duration> stopTimeout() {
            return stopTimeout;
        }

        FakeComponent readyAfterPolls(int polls) {
            pollsUntilReady = polls;
            return this;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<String> dependsOn() {
            return dependsOn;
        }

        @Override
        public void start(Monitor monitor) throws Exception {
            this.monitor = monitor;
            events.add("start " + name);
            onStart.run();
            started = true;
        }

        @Override
        public synchronized boolean ready() {
            if (!started || ++polls < pollsUntilReady) {
                return false;
            }
            if (!reportedReady) {
                reportedReady = true;
                events.add("ready " + name);
            }
            return true;
        }

        @Override
        public void stop() throws Exception {
            events.add("stop " + name);
            onStop.run();
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }
}
