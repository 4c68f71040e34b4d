package dev.konductor.scheduler.preemption;

import dev.konductor.scheduler.events.EventRecorder;
import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.FitError;
import dev.konductor.scheduler.framework.Framework;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.NodeStatuses;
import dev.konductor.scheduler.framework.Nominator;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.PodWriter;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DefaultPreemption: when no node fits a pod, find a node where evicting lower-priority pods
 * makes room (evicting as few and as unimportant pods as possible, and breaking
 * PodDisruptionBudgets only when there is no other way), evict them and nominate the node
 * for the pod. The pod is then retried once the victims are gone.
 */
public final class DefaultPreemption implements Plugin.PostFilter {

    public static final String NAME = "DefaultPreemption";
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    static final String NEVER = "not eligible due to preemptionPolicy=Never.";
    static final String TERMINATING = "not eligible due to a terminating pod on the nominated node.";
    static final String PREEMPTION_REASON = "PreemptionByScheduler";
    private static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;
    private static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;

    private static final Logger log = LoggerFactory.getLogger(DefaultPreemption.class);

    private final Supplier<Framework> framework;
    private final Nominator nominator;
    private final Supplier<List<PodDisruptionBudget>> budgets;
    private final PodWriter writer;
    private final EventRecorder events;
    private final Clock clock;
    private final String schedulerName;
    private final Consumer<PodInfo> nominationCleared;

    /**
     * @param nominationCleared told about lower-priority pods whose nomination to the chosen
     *                          node this preemption took away
     */
    public DefaultPreemption(Supplier<Framework> framework, Nominator nominator,
                             Supplier<List<PodDisruptionBudget>> budgets, PodWriter writer, EventRecorder events,
                             Clock clock, String schedulerName, Consumer<PodInfo> nominationCleared) {
        this.framework = framework;
        this.nominator = nominator;
        this.budgets = budgets;
        this.writer = writer;
        this.events = events;
        this.clock = clock;
        this.schedulerName = schedulerName;
        this.nominationCleared = nominationCleared;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PostFilterResult postFilter(CycleState state, PodInfo pod, NodeStatuses statuses) {
        Snapshot snapshot = state.snapshot();
        String notEligible = notEligible(pod, snapshot, statuses);
        if (notEligible != null) {
            return new PostFilterResult(Status.unschedulable("preemption: " + notEligible), "");
        }
        NodeStatuses dryRun = new NodeStatuses();
        List<Candidate> candidates = findCandidates(state, pod, snapshot, statuses, dryRun);
        if (candidates.isEmpty()) {
            dryRun.setAbsent(Status.unresolvable(NOT_HELPFUL));
            FitError error = new FitError(snapshot.size(), "", dryRun, "", Set.of());
            return new PostFilterResult(Status.unschedulable("preemption: " + error.message()), "");
        }
        Candidate best = pick(candidates);
        try {
            prepare(best, pod);
        } catch (KubernetesClientException e) {
            return new PostFilterResult(Status.error("preemption: " + e.getMessage()), "");
        }
        return new PostFilterResult(Status.SUCCESS, best.node());
    }

    /** Why the pod may not preempt (upstream's PodEligibleToPreemptOthers), or null if it may. */
    private static String notEligible(PodInfo pod, Snapshot snapshot, NodeStatuses statuses) {
        if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) {
            return NEVER;
        }
        String nominated = pod.nominatedNodeName();
        if (nominated.isEmpty()) {
            return null;
        }
        if (statuses.get(nominated) instanceof Status.Rejected r && r.unresolvable()) {
            return null;
        }
        NodeInfo node = snapshot.get(nominated);
        if (node != null) {
            for (PodInfo p : node.pods()) {
                if (p.priority() < pod.priority() && terminatingByPreemption(p.pod())) {
                    return TERMINATING;
                }
            }
        }
        return null;
    }

    private static boolean terminatingByPreemption(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() == null || pod.getStatus() == null
                || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus())
                    && PREEMPTION_REASON.equals(c.getReason())) {
                return true;
            }
        }
        return false;
    }

    /** Dry-runs preemption on every node where it might help, recording why the others cannot. */
    private List<Candidate> findCandidates(CycleState state, PodInfo pod, Snapshot snapshot, NodeStatuses statuses,
                                           NodeStatuses dryRun) {
        List<NodeInfo> potential = new ArrayList<>();
        for (NodeInfo node : snapshot.nodes()) {
            if (statuses.get(node.name()) instanceof Status.Rejected r && !r.unresolvable()) {
                potential.add(node);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        if (potential.isEmpty()) {
            return candidates;
        }
        int wanted = Math.min(potential.size(), Math.max(
                potential.size() * MIN_CANDIDATE_NODES_PERCENTAGE / 100, MIN_CANDIDATE_NODES_ABSOLUTE));
        int offset = ThreadLocalRandom.current().nextInt(potential.size());
        List<PodDisruptionBudget> pdbs = budgets.get();
        for (int i = 0; i < potential.size() && candidates.size() < wanted; i++) {
            NodeInfo node = potential.get((offset + i) % potential.size());
            VictimSelection selection = selectVictims(state.copy(), pod, node.copy(), pdbs);
            if (selection.status().isSuccess() && !selection.victims().isEmpty()) {
                candidates.add(new Candidate(node.name(), selection.victims(), selection.pdbViolations()));
            } else if (selection.status().isSuccess()) {
                dryRun.put(node.name(), Status.error("expected at least one victim pod on node \"" + node.name() + "\""));
            } else {
                dryRun.put(node.name(), selection.status());
            }
        }
        return candidates;
    }

    private record VictimSelection(List<PodInfo> victims, int pdbViolations, Status status) {
    }

    /**
     * Removes every lower-priority pod from (a copy of) the node; if the pod then fits, puts
     * them back one by one, most important first and PDB-protected ones before the others,
     * keeping each that still leaves room. The ones that could not be put back are the victims.
     */
    private VictimSelection selectVictims(CycleState state, PodInfo pod, NodeInfo node, List<PodDisruptionBudget> pdbs) {
        Framework fwk = framework.get();
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo p : new ArrayList<>(node.pods())) {
            if (p.priority() < pod.priority()) {
                potential.add(p);
                node.removePod(p);
                fwk.runRemovePod(state, pod, p, node);
            }
        }
        if (potential.isEmpty()) {
            return new VictimSelection(List.of(), 0, Status.unresolvable(NO_VICTIMS));
        }
        Status fits = fwk.runFilterWithNominatedPods(state, pod, node, nominator);
        if (!fits.isSuccess()) {
            return new VictimSelection(List.of(), 0, fits);
        }
        potential.sort(MORE_IMPORTANT_FIRST);
        DisruptionBudgets.Split split = DisruptionBudgets.split(potential, pdbs);
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        for (PodInfo p : split.violating()) {
            if (!reprieve(fwk, state, pod, node, p)) {
                victims.add(p);
                violations++;
            }
        }
        for (PodInfo p : split.nonViolating()) {
            if (!reprieve(fwk, state, pod, node, p)) {
                victims.add(p);
            }
        }
        victims.sort(MORE_IMPORTANT_FIRST);
        return new VictimSelection(victims, violations, Status.SUCCESS);
    }

    /** Puts {@code p} back on the node; keeps it there if the preemptor still fits. */
    private boolean reprieve(Framework fwk, CycleState state, PodInfo pod, NodeInfo node, PodInfo p) {
        node.addPod(p);
        fwk.runAddPod(state, pod, p, node);
        if (fwk.runFilterWithNominatedPods(state, pod, node, nominator).isSuccess()) {
            return true;
        }
        node.removePod(p);
        fwk.runRemovePod(state, pod, p, node);
        return false;
    }

    /** Higher priority first; at equal priority the one that started earlier. */
    static final Comparator<PodInfo> MORE_IMPORTANT_FIRST = Comparator
            .comparingInt((PodInfo p) -> -p.priority())
            .thenComparing(PodInfo::startTime);

    /**
     * Upstream's pickOneNodeForPreemption: fewest PDB violations, then the lowest highest-priority
     * victim, the lowest sum of priorities, the fewest victims, the latest start among the most
     * important victims; then the first.
     */
    static Candidate pick(List<Candidate> candidates) {
        Comparator<Candidate> order = Comparator
                .comparingInt(Candidate::pdbViolations)
                .thenComparingInt(c -> c.victims().get(0).priority())
                .thenComparingLong(c -> c.victims().stream().mapToLong(v -> (long) v.priority() + Integer.MAX_VALUE + 1L)
                        .sum())
                .thenComparingInt(c -> c.victims().size())
                .thenComparing(DefaultPreemption::earliestStartOfTopPriority, Comparator.reverseOrder());
        return candidates.stream().min(order).orElseThrow();
    }

    private static Instant earliestStartOfTopPriority(Candidate c) {
        int top = c.victims().get(0).priority();
        return c.victims().stream().filter(v -> v.priority() == top).map(PodInfo::startTime)
                .min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    }

    /**
     * Marks each victim with the DisruptionTarget condition, deletes it and records Preempted
     * on it; then takes the nomination to this node away from lower-priority pods, which may no
     * longer fit there.
     */
    private void prepare(Candidate c, PodInfo preemptor) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        for (PodInfo victim : c.victims()) {
            String condition = "{\"status\":{\"conditions\":[{\"type\":\"DisruptionTarget\",\"status\":\"True\","
                    + "\"reason\":\"" + PREEMPTION_REASON + "\",\"message\":\"" + schedulerName
                    + ": preempting to accommodate a higher priority pod\",\"lastTransitionTime\":\"" + now + "\"}]}}";
            try {
                writer.patchStatus(victim.pod(), condition);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
            writer.delete(victim.pod());
            log.info("preempted victim={} preemptor={} node={}", victim.key(), preemptor.key(), c.node());
            events.event(victim.pod(), preemptor.pod(), EventRecorder.NORMAL, "Preempted", "Preempting",
                    "Preempted by pod " + preemptor.uid() + " on node " + c.node());
        }
        for (PodInfo nominated : nominator.nominatedPods(c.node())) {
            if (nominated.priority() < preemptor.priority() && !nominated.uid().equals(preemptor.uid())) {
                try {
                    writer.patchStatus(nominated.pod(), "{\"status\":{\"nominatedNodeName\":null}}");
                } catch (KubernetesClientException e) {
                    log.debug("cannot clear the nomination of {}: {}", nominated.key(), e.getMessage());
                }
                nominationCleared.accept(nominated);
            }
        }
    }
}
