package dev.konductor.scheduler;

import dev.konductor.scheduler.cache.SchedulerCache;
import dev.konductor.scheduler.events.EventRecorder;
import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.FitError;
import dev.konductor.scheduler.framework.Framework;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.NodeStatuses;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;
import dev.konductor.scheduler.queue.QueuedPod;
import dev.konductor.scheduler.queue.SchedulingQueue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod's way through the scheduler, as upstream's scheduleOne: the scheduling cycle (one pod
 * at a time: PreFilter, Filter over the nodes, PostFilter/preemption when none fits, Score,
 * assume in the cache, Reserve) and then the binding cycle (PreBind, Bind), which runs on its own
 * thread so the next pod's cycle need not wait for the API.
 */
final class ScheduleOne {

    private static final Logger log = LoggerFactory.getLogger(ScheduleOne.class);
    static final String NO_NODES = "no nodes available to schedule pods";
    private static final int MIN_FEASIBLE_NODES = 100;
    private static final int MIN_FEASIBLE_PERCENTAGE = 5;

    private final SchedulingQueue queue;
    private final SchedulerCache cache;
    private final Framework framework;
    private final FailureHandler failures;
    private final EventRecorder events;
    private final Executor binder;
    private final int percentageOfNodesToScore;
    private int nextStartNode;

    ScheduleOne(SchedulingQueue queue, SchedulerCache cache, Framework framework, FailureHandler failures,
                EventRecorder events, Executor binder, int percentageOfNodesToScore) {
        this.queue = queue;
        this.cache = cache;
        this.framework = framework;
        this.failures = failures;
        this.events = events;
        this.binder = binder;
        this.percentageOfNodesToScore = percentageOfNodesToScore;
    }

    /** What a scheduling attempt came to. */
    sealed interface Result {
        record Placed(String node) implements Result {
        }

        record Unfit(FitError error) implements Result {
        }
    }

    /** Takes the next pod from the queue and schedules it; false once the queue is closed. */
    boolean next() throws InterruptedException {
        Optional<QueuedPod> popped = queue.pop();
        if (popped.isEmpty()) {
            return false;
        }
        QueuedPod qp = popped.get();
        long cycle = queue.schedulingCycle();
        PodInfo pod = qp.pod();
        if (pod.terminating() || cache.isAssumed(pod.uid())) {
            queue.done(qp.key());
            return true;
        }
        Snapshot snapshot = cache.updateSnapshot();
        CycleState state = new CycleState(snapshot);
        Result result;
        try {
            result = schedule(state, pod, snapshot);
        } catch (NoNodesException e) {
            failures.handle(qp, cycle, Status.error(NO_NODES), "", Set.of());
            return true;
        } catch (RuntimeException e) {
            log.error("scheduling pod={} failed unexpectedly", pod.key(), e);
            failures.handle(qp, cycle, Status.error(e.toString()), "", Set.of());
            return true;
        }
        switch (result) {
            case Result.Placed placed -> assumeAndBind(qp, cycle, state, placed.node());
            case Result.Unfit unfit -> {
                FitError error = unfit.error();
                String nominated = "";
                if (framework.hasPostFilters()) {
                    Plugin.PostFilterResult post = framework.runPostFilter(state, pod, error.statuses());
                    error = error.withPostFilterMessage(post.status().message());
                    nominated = post.nominatedNode();
                }
                failures.handle(qp, cycle, Status.unschedulable(error.message()), nominated,
                        error.unschedulablePlugins());
            }
        }
        return true;
    }

    static final class NoNodesException extends RuntimeException {
        NoNodesException() {
            super(NO_NODES, null, false, false);
        }
    }

    /** Finds the node for {@code pod}, or why there is none. */
    Result schedule(CycleState state, PodInfo pod, Snapshot snapshot) {
        if (snapshot.size() == 0) {
            throw new NoNodesException();
        }
        NodeStatuses statuses = new NodeStatuses();
        Status pre = framework.runPreFilter(state, pod, snapshot);
        if (pre instanceof Status.Error e) {
            throw new IllegalStateException("running PreFilter plugin \"" + e.plugin() + "\": " + e.message());
        }
        if (pre.isRejected()) {
            statuses.setAbsent(pre);
            return new Result.Unfit(new FitError(snapshot.size(), pre.message(), statuses, "", Set.of(pre.plugin())));
        }
        List<NodeInfo> feasible = new ArrayList<>();
        String nominated = pod.nominatedNodeName();
        if (!nominated.isEmpty() && snapshot.get(nominated) != null) {
            NodeInfo node = snapshot.get(nominated);
            if (framework.runFilterWithNominatedPods(state, pod, node, queue).isSuccess()) {
                feasible.add(node);
            }
        }
        if (feasible.isEmpty()) {
            findFeasible(state, pod, snapshot, feasible, statuses);
        }
        if (feasible.isEmpty()) {
            Set<String> plugins = new LinkedHashSet<>();
            statuses.explicit().values().forEach(s -> plugins.add(s.plugin()));
            return new Result.Unfit(new FitError(snapshot.size(), "", statuses, "", plugins));
        }
        if (feasible.size() == 1) {
            return new Result.Placed(feasible.get(0).name());
        }
        long[] scores = framework.runScore(state, pod, feasible);
        return new Result.Placed(selectHost(feasible, scores));
    }

    private void findFeasible(CycleState state, PodInfo pod, Snapshot snapshot, List<NodeInfo> feasible,
                              NodeStatuses statuses) {
        List<NodeInfo> nodes = snapshot.nodes();
        int wanted = feasibleNodesToFind(nodes.size());
        int start = nextStartNode % nodes.size();
        int processed = 0;
        for (int i = 0; i < nodes.size() && feasible.size() < wanted; i++) {
            NodeInfo node = nodes.get((start + i) % nodes.size());
            processed++;
            Status s = framework.runFilterWithNominatedPods(state, pod, node, queue);
            if (s.isSuccess()) {
                feasible.add(node);
            } else if (s instanceof Status.Error e) {
                throw new IllegalStateException("running Filter plugin \"" + e.plugin() + "\": " + e.message());
            } else {
                statuses.put(node.name(), s);
            }
        }
        nextStartNode = (start + processed) % nodes.size();
    }

    /** Upstream's adaptive share of nodes to find feasible before scoring (all of them below 100 nodes). */
    int feasibleNodesToFind(int all) {
        if (all < MIN_FEASIBLE_NODES || percentageOfNodesToScore >= 100) {
            return all;
        }
        int percentage = percentageOfNodesToScore;
        if (percentage == 0) {
            percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - all / 125);
        }
        int n = all * percentage / 100;
        return Math.max(n, MIN_FEASIBLE_NODES);
    }

    /** The highest total score; ties broken at random, as upstream's reservoir sampling does. */
    static String selectHost(List<NodeInfo> nodes, long[] scores) {
        int best = 0;
        int ties = 1;
        for (int i = 1; i < nodes.size(); i++) {
            if (scores[i] > scores[best]) {
                best = i;
                ties = 1;
            } else if (scores[i] == scores[best]) {
                ties++;
                if (ThreadLocalRandom.current().nextInt(ties) == 0) {
                    best = i;
                }
            }
        }
        return nodes.get(best).name();
    }

    private void assumeAndBind(QueuedPod qp, long cycle, CycleState state, String node) {
        PodInfo assumed = qp.pod().assumedOn(node);
        cache.assume(assumed, node);
        queue.removeNomination(qp.key());
        Status reserved = framework.runReserve(state, assumed, node);
        if (!reserved.isSuccess()) {
            cache.forget(assumed);
            failures.handle(qp, cycle, reserved, "", Set.of(reserved.plugin()));
            return;
        }
        binder.execute(() -> bind(qp, cycle, state, assumed, node));
    }

    private void bind(QueuedPod qp, long cycle, CycleState state, PodInfo assumed, String node) {
        Status bound;
        String point = "Bind";
        try {
            bound = framework.runPreBind(state, assumed, node);
            if (bound.isSuccess()) {
                bound = framework.runBind(assumed, node);
            } else {
                point = "PreBind";
            }
        } catch (RuntimeException e) {
            bound = Status.error(e.toString());
        }
        if (bound.isSuccess()) {
            log.debug("bound pod={} node={}", assumed.key(), node);
            events.event(qp.pod().pod(), null, EventRecorder.NORMAL, "Scheduled", "Binding",
                    "Successfully assigned " + assumed.key() + " to " + node);
            queue.done(qp.key());
            return;
        }
        log.info("binding pod={} node={} failed: {}", assumed.key(), node, bound.message());
        cache.forget(assumed);
        framework.runUnreserve(state, assumed, node);
        // the room the pod held is free again
        queue.moveAll(p -> true);
        failures.handle(qp, cycle, Status.error("running " + point + " plugin \"" + bound.plugin() + "\": "
                + bound.message()), "", Set.of());
    }
}
