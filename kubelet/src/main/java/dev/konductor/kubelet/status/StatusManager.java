package dev.konductor.kubelet.status;

import dev.konductor.client.RawRequests;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes pod statuses to the API server through the status subresource (a JSON merge patch of
 * {@code status}), from a few writer threads (one pod's writes never overlap, and stay in order):
 * pod workers hand over the newest status and go on;
 * a status equal to the one last written is not written again, unless the API's copy no longer
 * says what the kubelet wrote (the node lifecycle controller marks the pods of a not-ready node
 * not Ready; the kubelet puts them right once it can vouch for them again, as upstream's status
 * manager reconciles); several updates to one pod while a write is under way collapse into one.
 */
public final class StatusManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusManager.class);

    /** Upstream's status manager reconciles on its 10 s sync; the informer has long caught up with our own write by then. */
    static final Duration RECONCILE_AFTER = Duration.ofSeconds(10);
    /** Writes in flight at once: a burst of pods starting is not written one round trip after another. */
    static final int WRITERS = 4;

    private record Desired(String namespace, String name, PodStatus status, boolean reconcile) {
    }

    private final RawRequests requests;
    private final BiFunction<String, String, Optional<String>> currentUid;
    private final Map<String, Desired> pending = new LinkedHashMap<>(); // guarded by this
    private final Set<String> inFlight = new HashSet<>(); // guarded by this
    private final Map<String, PodStatus> written = new ConcurrentHashMap<>();
    /** When each pod's status was last written (System.nanoTime), so a lagging cache does not look like a change. */
    private final Map<String, Long> writtenAt = new ConcurrentHashMap<>();
    private final List<Thread> writers;
    private volatile boolean closed;

    /**
     * @param currentUid the UID of the pod now known under a namespace and name (the kubelet's
     *                   cache): a status is never written over a newer pod of the same name
     */
    public StatusManager(KubernetesClient client, BiFunction<String, String, Optional<String>> currentUid) {
        this.requests = new RawRequests(client);
        this.currentUid = currentUid;
        this.writers = IntStream.range(0, WRITERS)
                .mapToObj(i -> Thread.ofVirtual().name("status-manager-" + i).unstarted(this::run)).toList();
    }

    public void start() {
        writers.forEach(Thread::start);
    }

    /**
     * Queues {@code status} for {@code pod} (the kubelet's current copy of it) unless it is what
     * was last written and the pod still shows it.
     */
    public void set(Pod pod, PodStatus status) {
        String uid = pod.getMetadata().getUid();
        boolean unchanged = Objects.equals(written.get(uid), status);
        Long at = writtenAt.get(uid);
        boolean settled = at != null && System.nanoTime() - at > RECONCILE_AFTER.toNanos();
        boolean reconcile = unchanged && settled && !shows(pod.getStatus(), status);
        if (unchanged && !reconcile) {
            return;
        }
        synchronized (this) {
            pending.put(uid, new Desired(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), status, reconcile));
            notifyAll();
        }
    }

    /**
     * Whether the API's status still shows what the kubelet wrote: the same phase, and every
     * condition the kubelet sets with the same status. Fields others own (the scheduler's
     * condition, nominatedNodeName) do not count.
     */
    static boolean shows(PodStatus api, PodStatus ours) {
        if (api == null || !Objects.equals(api.getPhase(), ours.getPhase())) {
            return false;
        }
        List<PodCondition> theirs = api.getConditions() == null ? List.of() : api.getConditions();
        for (PodCondition mine : ours.getConditions() == null ? List.<PodCondition>of() : ours.getConditions()) {
            boolean same = theirs.stream().anyMatch(c -> Objects.equals(c.getType(), mine.getType())
                    && Objects.equals(c.getStatus(), mine.getStatus()));
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code status} now, on the caller's thread (before deleting a pod, say); true if
     * written. A write of the same pod already in flight finishes first: two patches of one pod's
     * status at once could land in either order, and an older status landing last would stay.
     */
    public boolean writeNow(Pod pod, PodStatus status) {
        String uid = pod.getMetadata().getUid();
        synchronized (this) {
            while (inFlight.contains(uid) && !closed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            pending.remove(uid);
            inFlight.add(uid);
        }
        try {
            return write(uid, new Desired(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), status, false));
        } finally {
            synchronized (this) {
                inFlight.remove(uid);
                notifyAll();
            }
        }
    }

    /** The pod is gone: drop what is known about it. */
    public void forget(String uid) {
        written.remove(uid);
        writtenAt.remove(uid);
        synchronized (this) {
            pending.remove(uid);
        }
    }

    private void run() {
        while (!closed) {
            String uid;
            Desired desired;
            synchronized (this) {
                Map.Entry<String, Desired> next;
                while ((next = nextWritable()) == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                uid = next.getKey();
                desired = next.getValue();
                pending.remove(uid);
                inFlight.add(uid);
            }
            try {
                write(uid, desired);
            } finally {
                synchronized (this) {
                    inFlight.remove(uid);
                    notifyAll();
                }
            }
        }
    }

    /** The oldest pending status of a pod whose last write is over; null if none. Guarded by this. */
    private Map.Entry<String, Desired> nextWritable() {
        for (Map.Entry<String, Desired> entry : pending.entrySet()) {
            if (!inFlight.contains(entry.getKey())) {
                return entry;
            }
        }
        return null;
    }

    private boolean write(String uid, Desired desired) {
        if (!desired.reconcile() && Objects.equals(written.get(uid), desired.status())) {
            return true;
        }
        if (!currentUid.apply(desired.namespace(), desired.name()).map(uid::equals).orElse(false)) {
            return false; // deleted, or replaced by another pod of the same name
        }
        String patch = "{\"status\":" + Serialization.asJson(desired.status()) + "}";
        String failure;
        try {
            // the answer (the whole pod) is not decoded: the pod as written comes back through the informer
            RawRequests.Response response = requests.send("PATCH",
                    RawRequests.corePath(desired.namespace(), "pods", desired.name(), "status"),
                    RawRequests.MERGE_PATCH, patch);
            if (response.ok()) {
                written.put(uid, desired.status());
                writtenAt.put(uid, System.nanoTime());
                log.debug("wrote pod status pod={}/{} phase={}", desired.namespace(), desired.name(),
                        desired.status().getPhase());
                return true;
            }
            if (response.code() == 404) {
                return false;
            }
            failure = "HTTP " + response.code() + " " + response.body();
        } catch (KubernetesClientException e) {
            failure = e.getMessage();
        }
        log.warn("cannot write pod status pod={}/{}: {}", desired.namespace(), desired.name(), failure);
        synchronized (this) {
            pending.putIfAbsent(uid, desired); // retried on the next round
        }
        sleepQuietly();
        return false;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        writers.forEach(Thread::interrupt);
    }
}
