package dev.konductor.scheduler.queue;

import dev.konductor.scheduler.framework.Nominator;
import dev.konductor.scheduler.framework.PodInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Upstream's scheduling queue, three parts:
 * <ul>
 *   <li><b>active</b>: pods ready to be tried, highest priority first, then the earliest queued;</li>
 *   <li><b>backoff</b>: pods that failed recently, waiting out 1 s doubling per attempt up to
 *       10 s (configurable) before they return to active;</li>
 *   <li><b>unschedulable</b>: pods no node could take. They move back (to backoff if still
 *       backing off, else active) on a cluster event that may help them
 *       ({@link #moveAll}), and in any case after 5 minutes ({@link #flushUnschedulableLeftover}).</li>
 * </ul>
 * A cluster event while a pod is being scheduled sends it to backoff rather than unschedulable
 * if that attempt fails, so the event is not missed. Also keeps the nominated pods
 * (status.nominatedNodeName) for the filters. Thread-safe; time comes from the injected clock,
 * and the flushes are called by the owner's ticker (every second and every 30 s upstream).
 */
public final class SchedulingQueue implements Nominator {

    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration MAX_IN_UNSCHEDULABLE = Duration.ofMinutes(5);

    private static final Comparator<QueuedPod> ACTIVE_ORDER = Comparator
            .comparingInt((QueuedPod p) -> -p.pod().priority())
            .thenComparing(QueuedPod::timestamp);

    private final Clock clock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final PriorityQueue<QueuedPod> active = new PriorityQueue<>(ACTIVE_ORDER);
    private final Map<String, QueuedPod> activeByKey = new HashMap<>();
    private final Map<String, QueuedPod> backoff = new HashMap<>();
    private final Map<String, QueuedPod> unschedulable = new HashMap<>();
    /** Pods popped and being scheduled, by key. */
    private final Map<String, QueuedPod> inFlight = new HashMap<>();
    private final Map<String, Map<String, PodInfo>> nominatedByNode = new HashMap<>();
    private final Map<String, String> nominatedNodeOf = new HashMap<>();
    /**
     * Whether any pod is nominated: the filters ask {@link #nominatedPods} for every node they
     * try, and almost always there are none, which this answers without the queue's lock.
     */
    private volatile boolean anyNominated;
    private long schedulingCycle;
    private long moveRequestCycle = -1;
    private boolean closed;

    public SchedulingQueue(Clock clock, Duration initialBackoff, Duration maxBackoff) {
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** A new pending pod. */
    public synchronized void add(PodInfo pod) {
        String key = pod.key();
        if (activeByKey.containsKey(key) || backoff.containsKey(key) || unschedulable.containsKey(key)) {
            update(pod);
            return;
        }
        if (inFlight.containsKey(key)) {
            inFlight.get(key).setPod(pod);
            return;
        }
        QueuedPod qp = new QueuedPod(pod, clock.instant());
        pushActive(qp);
        updateNomination(pod);
    }

    /**
     * The pod changed. Queued pods take the new object; an unschedulable pod goes back to be
     * tried again, since the change (labels, tolerations, requests) may let it fit.
     */
    public synchronized void update(PodInfo pod) {
        String key = pod.key();
        updateNomination(pod);
        QueuedPod qp = activeByKey.get(key);
        if (qp != null) {
            active.remove(qp);
            qp.setPod(pod);
            active.add(qp);
            return;
        }
        qp = backoff.get(key);
        if (qp != null) {
            qp.setPod(pod);
            return;
        }
        qp = unschedulable.remove(key);
        if (qp != null) {
            qp.setPod(pod);
            if (backingOff(qp)) {
                backoff.put(key, qp);
            } else {
                pushActive(qp);
            }
            return;
        }
        qp = inFlight.get(key);
        if (qp != null) {
            qp.setPod(pod);
            return;
        }
        add(pod);
    }

    /** The pod is gone or no longer ours (bound, deleted, another scheduler's). */
    public synchronized void delete(String key) {
        QueuedPod qp = activeByKey.remove(key);
        if (qp != null) {
            active.remove(qp);
        }
        backoff.remove(key);
        unschedulable.remove(key);
        removeNomination(key);
    }

    /** Waits for the next pod to try; empty once closed. The caller must call {@link #done}. */
    public synchronized Optional<QueuedPod> pop() throws InterruptedException {
        while (active.isEmpty() && !closed) {
            wait();
        }
        if (closed) {
            return Optional.empty();
        }
        QueuedPod qp = active.poll();
        activeByKey.remove(qp.key());
        qp.attempted();
        schedulingCycle++;
        inFlight.put(qp.key(), qp);
        return Optional.of(qp);
    }

    /** The cycle number of the latest pop (compare with {@link #addUnschedulable}'s argument). */
    public synchronized long schedulingCycle() {
        return schedulingCycle;
    }

    /** The attempt of {@code key} is over (bound, failed and requeued, or dropped). */
    public synchronized void done(String key) {
        inFlight.remove(key);
    }

    /**
     * No node fit the pod in the cycle {@code podCycle}: it waits in unschedulable for an event,
     * unless an event arrived meanwhile, in which case it goes to backoff.
     */
    public synchronized void addUnschedulable(QueuedPod qp, long podCycle) {
        String key = qp.key();
        inFlight.remove(key);
        if (isQueued(key)) {
            return;
        }
        qp.setTimestamp(clock.instant());
        if (moveRequestCycle >= podCycle) {
            backoff.put(key, qp);
        } else {
            unschedulable.put(key, qp);
        }
    }

    /** The attempt failed for an unexpected reason (an API error binding): retry after backoff. */
    public synchronized void addBackoff(QueuedPod qp) {
        String key = qp.key();
        inFlight.remove(key);
        if (isQueued(key)) {
            return;
        }
        qp.setTimestamp(clock.instant());
        backoff.put(key, qp);
    }

    /**
     * A cluster event that may make some unschedulable pods fit: those {@code which} accepts move
     * to active (or backoff while still backing off).
     */
    public synchronized void moveAll(Predicate<QueuedPod> which) {
        List<QueuedPod> moving = new ArrayList<>();
        for (QueuedPod qp : unschedulable.values()) {
            if (which.test(qp)) {
                moving.add(qp);
            }
        }
        for (QueuedPod qp : moving) {
            unschedulable.remove(qp.key());
            if (backingOff(qp)) {
                backoff.put(qp.key(), qp);
            } else {
                pushActive(qp);
            }
        }
        moveRequestCycle = schedulingCycle;
    }

    /** Moves every pod whose backoff is over to active (upstream runs this every second). */
    public synchronized void flushBackoffCompleted() {
        List<QueuedPod> done = new ArrayList<>();
        for (QueuedPod qp : backoff.values()) {
            if (!backingOff(qp)) {
                done.add(qp);
            }
        }
        done.sort(Comparator.comparing(this::backoffExpiry));
        for (QueuedPod qp : done) {
            backoff.remove(qp.key());
            pushActive(qp);
        }
    }

    /** Moves pods unschedulable for longer than 5 minutes back (upstream runs this every 30 s). */
    public synchronized void flushUnschedulableLeftover() {
        Instant now = clock.instant();
        List<QueuedPod> stale = new ArrayList<>();
        for (QueuedPod qp : unschedulable.values()) {
            if (Duration.between(qp.timestamp(), now).compareTo(MAX_IN_UNSCHEDULABLE) > 0) {
                stale.add(qp);
            }
        }
        for (QueuedPod qp : stale) {
            unschedulable.remove(qp.key());
            if (backingOff(qp)) {
                backoff.put(qp.key(), qp);
            } else {
                pushActive(qp);
            }
        }
    }

    /** How long a pod with {@code attempts} attempts backs off: initial doubling per attempt, capped. */
    Duration backoffDuration(int attempts) {
        Duration d = initialBackoff;
        for (int i = 1; i < attempts; i++) {
            if (d.compareTo(maxBackoff.minus(d)) > 0) {
                return maxBackoff;
            }
            d = d.plus(d);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    private Instant backoffExpiry(QueuedPod qp) {
        return qp.timestamp().plus(backoffDuration(qp.attempts()));
    }

    private boolean backingOff(QueuedPod qp) {
        return qp.attempts() > 0 && backoffExpiry(qp).isAfter(clock.instant());
    }

    private boolean isQueued(String key) {
        return activeByKey.containsKey(key) || backoff.containsKey(key) || unschedulable.containsKey(key);
    }

    private void pushActive(QueuedPod qp) {
        active.add(qp);
        activeByKey.put(qp.key(), qp);
        notifyAll();
    }

    // ---- counts, for tests and logs ----

    public synchronized int activeCount() {
        return active.size();
    }

    public synchronized int backoffCount() {
        return backoff.size();
    }

    public synchronized int unschedulableCount() {
        return unschedulable.size();
    }

    public synchronized Set<String> unschedulableKeys() {
        return Set.copyOf(unschedulable.keySet());
    }

    // ---- nominated pods ----

    /** Records the node a pod was nominated to (from its status or a preemption just done). */
    public synchronized void nominate(PodInfo pod, String node) {
        removeNomination(pod.key());
        if (node == null || node.isEmpty()) {
            return;
        }
        nominatedByNode.computeIfAbsent(node, n -> new HashMap<>()).put(pod.key(), pod);
        nominatedNodeOf.put(pod.key(), node);
        anyNominated = true;
    }

    public synchronized void removeNomination(String key) {
        String node = nominatedNodeOf.remove(key);
        if (node != null) {
            Map<String, PodInfo> pods = nominatedByNode.get(node);
            if (pods != null) {
                pods.remove(key);
                if (pods.isEmpty()) {
                    nominatedByNode.remove(node);
                }
            }
            anyNominated = !nominatedNodeOf.isEmpty();
        }
    }

    /** The node {@code key} is nominated to, or empty. */
    public synchronized String nominatedNode(String key) {
        return nominatedNodeOf.getOrDefault(key, "");
    }

    private void updateNomination(PodInfo pod) {
        String fromStatus = pod.nominatedNodeName();
        if (!fromStatus.isEmpty()) {
            nominate(pod, fromStatus);
        } else if (nominatedNodeOf.containsKey(pod.key())) {
            String node = nominatedNodeOf.get(pod.key());
            PodInfo previous = nominatedByNode.get(node).get(pod.key());
            if (!previous.nominatedNodeName().isEmpty()) {
                removeNomination(pod.key()); // the status had it and no longer has: cleared
            } else {
                // nominated by this scheduler, not yet in the status we see: keep it
                nominatedByNode.get(node).put(pod.key(), pod);
            }
        }
    }

    @Override
    public List<PodInfo> nominatedPods(String node) {
        if (!anyNominated) {
            return List.of();
        }
        synchronized (this) {
            Map<String, PodInfo> pods = nominatedByNode.get(node);
            return pods == null ? List.of() : List.copyOf(pods.values());
        }
    }

    /** Wakes {@link #pop} up for good. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
