package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.prober.ProbeManager;
import dev.konductor.kubelet.prober.ProbeVerdicts;
import dev.konductor.kubelet.status.PodStatuses;
import dev.konductor.kubelet.status.StatusManager;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker per pod (a virtual thread), as upstream's podWorkers: a pod's syncs never overlap,
 * different pods never wait for each other. A worker wakes when its pod changes, when the
 * runtime reports a change in its containers ({@link #signal}), when a back-off expires, and
 * every {@link #RESYNC} otherwise. A pod being deleted is stopped within its grace period, its
 * final status written, its runtime objects removed and the API object deleted.
 */
public final class PodWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);
    static final Duration RESYNC = Duration.ofSeconds(10);

    private final PodSyncer syncer;
    private final StatusManager statuses;
    private final ProbeManager probes;
    private final KubernetesClient client;
    private final Supplier<List<String>> hostIps;
    private final Supplier<String> runtimeName;
    private final Path logRoot;
    private final Clock clock;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param runtimeName the container runtime's name, as container IDs carry it ({@code containerd})
     */
    public PodWorkers(PodSyncer syncer, StatusManager statuses, ProbeManager probes, KubernetesClient client,
                      Supplier<List<String>> hostIps, Supplier<String> runtimeName, Path logRoot, Clock clock) {
        this.syncer = syncer;
        this.statuses = statuses;
        this.probes = probes;
        this.client = client;
        this.hostIps = hostIps;
        this.runtimeName = runtimeName;
        this.logRoot = logRoot;
        this.clock = clock;
    }

    /** The pod was added or changed in the API. */
    public void update(Pod pod) {
        if (closed) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        Worker worker = workers.computeIfAbsent(uid, u -> {
            Worker w = new Worker(uid);
            w.pod = pod;
            w.thread = Thread.ofVirtual().name("pod-worker-" + pod.getMetadata().getNamespace() + "/"
                    + pod.getMetadata().getName()).start(w::run);
            return w;
        });
        worker.pod = pod;
        worker.wake();
    }

    /** The pod's API object is gone (deleted, or force-deleted before the kubelet finished). */
    public void deleted(Pod pod) {
        Worker worker = workers.get(pod.getMetadata().getUid());
        if (worker != null) {
            worker.pod = pod;
            worker.apiDeleted = true;
            worker.wake();
        }
    }

    /** Something changed in the runtime for this pod. */
    public void signal(String uid) {
        Worker worker = workers.get(uid);
        if (worker != null) {
            worker.wake();
        }
    }

    /** UIDs of the pods that have a worker (running or terminating). */
    public Set<String> active() {
        return Set.copyOf(workers.keySet());
    }

    /** Removes from the runtime a pod the API no longer knows and no worker handles (e.g. deleted while down). */
    public void removeOrphan(String uid) {
        if (!workers.containsKey(uid)) {
            log.info("removing orphaned pod uid={}", uid);
            syncer.removePod(uid, Optional.empty());
        }
    }

    private final class Worker {
        private final String uid;
        volatile Pod pod;
        volatile boolean apiDeleted;
        Thread thread;
        private boolean woken; // guarded by this
        private boolean finished;

        Worker(String uid) {
            this.uid = uid;
        }

        synchronized void wake() {
            woken = true;
            notifyAll();
        }

        private synchronized void await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!woken && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            woken = false;
        }

        void run() {
            Duration next = Duration.ZERO;
            try {
                while (!closed) {
                    await(next);
                    if (closed) {
                        return;
                    }
                    Pod current = pod;
                    try {
                        if (apiDeleted || current.getMetadata().getDeletionTimestamp() != null) {
                            terminate(current);
                            return;
                        }
                        next = finished ? Duration.ofMinutes(5) : sync(current);
                    } catch (RuntimeException e) {
                        log.warn("pod sync failed pod={}/{}: {}", current.getMetadata().getNamespace(),
                                current.getMetadata().getName(), e.toString());
                        next = Duration.ofSeconds(2);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                workers.remove(uid, this);
            }
        }

        private Duration sync(Pod current) {
            if (current.getStatus() != null && PodStatuses.isTerminal(current.getStatus().getPhase())) {
                // Finished before (perhaps before this kubelet started): never run it again.
                syncer.stopSandboxes(syncer.observe(uid));
                probes.removePod(uid);
                finished = true;
                return Duration.ofMinutes(5);
            }
            SyncOutcome outcome = syncer.sync(current);
            probes.sync(current, outcome.state());
            PodStatus status = PodStatuses.build(current, outcome.state(), outcome.waiting(), hostIps.get(), clock.instant(), false,
                    probes, runtimeName.get());
            statuses.set(current, status);
            if (PodStatuses.isTerminal(status.getPhase())) {
                // Finished for good (restartPolicy Never/OnFailure): release the network, keep the containers for logs.
                probes.removePod(uid);
                syncer.stopSandboxes(outcome.state());
                finished = true;
                return Duration.ofMinutes(5);
            }
            Duration next = outcome.retryAfter().orElse(RESYNC);
            return next.compareTo(RESYNC) < 0 ? next : RESYNC;
        }

        private void terminate(Pod current) {
            long grace = SandboxConfigs.gracePeriodSeconds(current);
            log.info("stopping pod pod={}/{} gracePeriodSeconds={}", current.getMetadata().getNamespace(),
                    current.getMetadata().getName(), grace);
            probes.removePod(uid);
            var state = syncer.stopPod(current, grace);
            if (!apiDeleted) {
                PodStatus status = PodStatuses.build(current, state, Map.of(), hostIps.get(), clock.instant(), true,
                        ProbeVerdicts.NONE, runtimeName.get());
                statuses.writeNow(current, status);
            }
            syncer.removePod(uid, Optional.of(SandboxConfigs.podLogDirectory(current, logRoot)));
            statuses.forget(uid);
            if (!apiDeleted) {
                deleteApiObject(current);
            }
        }

        /** As upstream's status manager: once nothing runs, the kubelet finishes the graceful deletion. */
        private void deleteApiObject(Pod current) {
            try {
                client.pods().inNamespace(current.getMetadata().getNamespace()).withName(current.getMetadata().getName())
                        .withGracePeriod(0).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    log.warn("cannot delete pod pod={}/{}: {}", current.getMetadata().getNamespace(),
                            current.getMetadata().getName(), e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker worker : workers.values()) {
            worker.wake();
            if (worker.thread != null) {
                worker.thread.interrupt();
            }
        }
    }
}
