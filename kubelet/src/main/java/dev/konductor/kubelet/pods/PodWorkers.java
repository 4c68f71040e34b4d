package dev.konductor.kubelet.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker per pod (a virtual thread), as upstream's podWorkers, with their promises:
 * <ul>
 *   <li>A pod's work never overlaps itself; different pods never wait for each other.
 *   <li>Updates coalesce: however many arrive while a worker is busy, it then works once, on the
 *       newest copy of the pod. Only a change that gives it something to do wakes it
 *       ({@link PodUpdates}: spec, labels, annotations, deletion), never a change of status such
 *       as the kubelet's own status writes. It also wakes when the runtime reports a change in
 *       the pod's containers or a probe verdict changes ({@link #signal}), when a back-off
 *       expires, and every {@link #RESYNC} (upstream's resync interval) otherwise.
 *   <li>A pod goes through {@link Stage syncing, terminating, terminated} once: a pod that
 *       finished or is deleted is stopped, and a deleted one removed, exactly once per UID; a late
 *       update of a removed pod starts nothing.
 * </ul>
 * What each stage does to the pod is the {@link PodSyncHandler}'s business.
 */
public final class PodWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);
    static final Duration RESYNC = Duration.ofSeconds(10);
    static final Duration ERROR_RETRY = Duration.ofSeconds(2);
    /** A removed pod's UID is forgotten once its API object is gone from the kubelet's cache, and not sooner than this. */
    static final Duration REMEMBER_REMOVED = Duration.ofMinutes(5);
    private static final Duration IDLE = Duration.ofDays(365);

    /** Where a pod stands in its life, as upstream's podSyncStatus (syncing, terminating, terminated, removed). */
    enum Stage {
        /** Running towards its spec: synced on every change, back-off and resync. */
        SYNCING,
        /** Finished or deleted: its containers are being stopped within the grace period. */
        TERMINATING,
        /** Nothing runs; a finished pod waits here for its deletion, without resyncs. */
        TERMINATED,
        /** Deleted and removed from the node and the API: the worker is over. */
        REMOVED
    }

    private final PodSyncHandler handler;
    private final Clock clock;
    private final Duration resync;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    /** UIDs of pods whose worker removed them, and when: updates of these start nothing. */
    private final Map<String, Instant> removed = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public PodWorkers(PodSyncHandler handler, Clock clock) {
        this(handler, clock, RESYNC);
    }

    /** With another resync interval: tests that count syncs take one no loaded machine reaches. */
    PodWorkers(PodSyncHandler handler, Clock clock, Duration resync) {
        this.handler = handler;
        this.clock = clock;
        this.resync = resync;
    }

    /** The pod was added or changed in the API. */
    public void update(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (closed) {
            return;
        }
        workers.compute(uid, (u, worker) -> {
            if (worker != null) {
                worker.offer(pod);
                return worker;
            }
            if (removed.containsKey(uid)) {
                // A late update of a pod this kubelet removed (a worker records the UID before it
                // lets go of its map entry, so this check cannot miss one): it is not stopped twice.
                return null;
            }
            Worker created = new Worker(uid, pod);
            created.start();
            return created;
        });
    }

    /** The pod's API object is gone (the kubelet deleted it, or someone forced its deletion): nothing more comes for this UID. */
    public void deleted(Pod pod) {
        String uid = pod.getMetadata().getUid();
        Worker worker = workers.get(uid);
        if (worker == null || !worker.apiDeleted(pod)) {
            removed.remove(uid);
        }
    }

    /** Something changed for this pod in the runtime or in its probes' verdicts. */
    public void signal(String uid) {
        Worker worker = workers.get(uid);
        if (worker != null) {
            worker.wake();
        }
    }

    /** UIDs of the pods that have a worker (running, terminating or finished). */
    public Set<String> active() {
        return Set.copyOf(workers.keySet());
    }

    /** Removes from the runtime a pod the API no longer knows and no worker handles (e.g. deleted while down). */
    public void removeOrphan(String uid) {
        if (!workers.containsKey(uid)) {
            handler.removeOrphan(uid);
        }
    }

    /** Forgets removed pods that the API (the kubelet's cache, {@code known}) has let go of for a while. */
    public void forgetRemoved(Set<String> known) {
        Instant cutoff = clock.instant().minus(REMEMBER_REMOVED);
        removed.entrySet().removeIf(e -> !known.contains(e.getKey()) && e.getValue().isBefore(cutoff));
    }

    /** What a worker knows of its pod at one moment. */
    private record Snapshot(Pod pod, boolean apiDeleted) {

        boolean deleting() {
            return apiDeleted || pod.getMetadata().getDeletionTimestamp() != null;
        }
    }

    private final class Worker {
        private final String uid;
        private final String name;
        private Pod pod; // guarded by this: the newest copy from the API
        private boolean pending = true; // guarded by this: something to look at
        private boolean apiDeleted; // guarded by this
        private boolean killed; // guarded by this: the containers' stop returned
        private RuntimeException killFailure; // guarded by this
        private boolean done; // guarded by this
        private Stage stage = Stage.SYNCING; // the worker thread's own
        private long gracePeriodSeconds; // the worker thread's own, once terminating
        private Thread thread;
        private volatile Thread killer;

        Worker(String uid, Pod pod) {
            this.uid = uid;
            this.pod = pod;
            this.name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        }

        void start() {
            thread = Thread.ofVirtual().name("pod-worker-" + name).start(this::run);
        }

        synchronized void offer(Pod latest) {
            if (!done && PodUpdates.differSemantically(pod, latest)) {
                pending = true;
                notifyAll();
            }
            pod = latest;
        }

        /** False once the worker is over (the caller then forgets the UID). */
        synchronized boolean apiDeleted(Pod last) {
            if (done) {
                return false;
            }
            pod = last;
            apiDeleted = true;
            pending = true;
            notifyAll();
            return true;
        }

        synchronized void wake() {
            pending = true;
            notifyAll();
        }

        /** Waits until something is pending or {@code timeout} has passed; then takes it. */
        private synchronized Snapshot await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!pending && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            pending = false;
            return new Snapshot(pod, apiDeleted);
        }

        void run() {
            Duration wait = Duration.ZERO;
            try {
                while (!closed && stage != Stage.REMOVED) {
                    Snapshot snapshot = await(wait);
                    if (closed) {
                        return;
                    }
                    wait = step(snapshot);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finish();
            }
        }

        private Duration step(Snapshot snapshot) throws InterruptedException {
            try {
                return switch (stage) {
                    case SYNCING -> sync(snapshot);
                    case TERMINATING -> terminate(snapshot);
                    case TERMINATED -> snapshot.deleting() ? remove(snapshot) : IDLE;
                    case REMOVED -> Duration.ZERO;
                };
            } catch (RuntimeException e) {
                log.warn("pod worker failed pod={} stage={}: {}", name, stage, e.toString());
                return ERROR_RETRY;
            }
        }

        private Duration sync(Snapshot snapshot) {
            if (snapshot.deleting()) {
                return startTerminating(snapshot.pod(), "deleted");
            }
            return switch (handler.syncPod(snapshot.pod())) {
                case PodSyncHandler.Finished finished -> startTerminating(snapshot.pod(), "finished");
                case PodSyncHandler.Running running -> running.retryAfter().filter(d -> d.compareTo(resync) < 0).orElse(resync);
            };
        }

        private Duration startTerminating(Pod current, String why) {
            stage = Stage.TERMINATING;
            gracePeriodSeconds = SandboxConfigs.gracePeriodSeconds(current);
            log.info("stopping pod pod={} reason={} gracePeriodSeconds={}", name, why, gracePeriodSeconds);
            return Duration.ZERO;
        }

        /**
         * Stops the containers on a thread of their own, and meanwhile keeps the pod's status
         * current (containers exiting, readiness verdicts changing); then releases the rest.
         */
        private Duration terminate(Snapshot snapshot) throws InterruptedException {
            startKilling(snapshot.pod());
            while (!awaitKilled()) {
                handler.refreshTerminatingStatus(snapshot().pod());
            }
            if (closed) {
                return Duration.ZERO;
            }
            RuntimeException failure;
            synchronized (this) {
                failure = killFailure;
            }
            if (failure != null) {
                throw failure;
            }
            Snapshot now = snapshot();
            handler.syncTerminatedPod(now.pod(), now.apiDeleted());
            stage = Stage.TERMINATED;
            return Duration.ZERO;
        }

        private void startKilling(Pod current) {
            synchronized (this) {
                killed = false;
                killFailure = null;
            }
            long grace = gracePeriodSeconds;
            killer = Thread.ofVirtual().name("pod-killer-" + name).start(() -> {
                RuntimeException failure = null;
                try {
                    handler.killPod(current, grace);
                } catch (RuntimeException e) {
                    failure = e;
                }
                synchronized (this) {
                    killed = true;
                    killFailure = failure;
                    notifyAll();
                }
            });
        }

        /** True once the kill has returned (or the workers close); false when something else needs a look first. */
        private synchronized boolean awaitKilled() throws InterruptedException {
            while (!killed && !pending && !closed) {
                wait();
            }
            if (killed || closed) {
                return true;
            }
            pending = false;
            return false;
        }

        private synchronized Snapshot snapshot() {
            return new Snapshot(pod, apiDeleted);
        }

        private Duration remove(Snapshot snapshot) {
            handler.removePod(snapshot.pod(), snapshot.apiDeleted());
            stage = Stage.REMOVED;
            return Duration.ZERO;
        }

        /** The worker is over: a removed pod's UID is remembered unless its API object's deletion was seen already. */
        private void finish() {
            synchronized (this) {
                done = true;
                if (stage == Stage.REMOVED && !apiDeleted) {
                    removed.put(uid, clock.instant());
                }
            }
            workers.remove(uid, this);
        }

        void stop() {
            wake();
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
            Thread k = killer;
            if (k != null) {
                k.interrupt();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.values().forEach(Worker::stop);
    }
}
