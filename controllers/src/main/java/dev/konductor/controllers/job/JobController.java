package dev.konductor.controllers.job;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Expectations;
import dev.konductor.controllers.framework.Handlers;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Upstream's Job controller: runs a Job's pods to completion (completions, parallelism, the
 * Indexed completion mode), retries failed pods with exponential backoff up to backoffLimit,
 * enforces activeDeadlineSeconds and the pod failure policy, honours suspend, and deletes a
 * finished Job once its ttlSecondsAfterFinished has passed.
 *
 * <p>Pods carry the {@code batch.kubernetes.io/job-tracking} finalizer until the controller has
 * counted them: a finished pod's uid is first recorded in {@code status.uncountedTerminatedPods},
 * then its finalizer is removed, then it moves into the succeeded/failed counters. A crash at any
 * step loses no pod and counts none twice. A Job that has met its success criteria or its failure
 * target gets the interim condition ({@code SuccessCriteriaMet} / {@code FailureTarget}) first and
 * the terminal one ({@code Complete} / {@code Failed}) once none of its pods is left running.
 */
public final class JobController implements Controller {

    public static final String NAME = "job-controller";
    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    /** Upstream's cap on pod creations or deletions in one sync. */
    private static final int MAX_PODS_PER_SYNC = 500;

    private final Duration backoffBase;
    /** Failures since the last success per Job, for the pod re-creation backoff (kept in memory as upstream). */
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
    private KubernetesClient client;
    private Clock clock;
    private Lister<Job> jobs;
    private Lister<Pod> pods;
    private Expectations expectations;
    private CoreEvents events;
    private ControllerLoop loop;

    record Backoff(int failures, Instant lastFailure) {
    }

    public JobController() {
        this(DEFAULT_BACKOFF);
    }

    /** @param backoffBase the delay before re-creating after the first failure (tests shorten it) */
    JobController(Duration backoffBase) {
        this.backoffBase = backoffBase;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        clock = context.clock();
        jobs = context.informers().lister(Job.class);
        pods = context.informers().lister(Pod.class);
        expectations = new Expectations(clock);
        events = context.events(NAME);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());
        context.informers().of(Job.class).addEventHandler(Handlers.onChange((Job x) -> loop.enqueue(Keys.of(x))));
        context.informers().of(Pod.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                ownerKey(pod).ifPresent(key -> {
                    expectations.creationObserved(key);
                    loop.enqueue(key);
                });
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                ownerKey(newPod).ifPresent(key -> {
                    if (!JobPods.deleting(oldPod) && JobPods.deleting(newPod)) {
                        expectations.deletionObserved(key);
                    }
                    loop.enqueue(key);
                });
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                ownerKey(pod).ifPresent(key -> {
                    if (!JobPods.deleting(pod)) {
                        expectations.deletionObserved(key);
                    }
                    loop.enqueue(key);
                });
            }
        });
        loop.start(context.informers()::synced);
    }

    private static Optional<String> ownerKey(Pod pod) {
        return OwnerRefs.controllerOf(pod).filter(ref -> "Job".equals(ref.getKind()))
                .map(ref -> Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** Looks at {@code key} again now (tests call it after moving their clock). */
    void resync(String key) {
        loop.enqueue(key);
    }

    Result reconcile(String key) throws Exception {
        Optional<Job> cached = jobs.get(key);
        if (cached.isEmpty() || cached.get().getMetadata().getDeletionTimestamp() != null) {
            releaseOrphans(key, cached.map(j -> j.getMetadata().getUid()).orElse(null));
            if (cached.isEmpty()) {
                expectations.delete(key);
                backoffs.remove(key);
            }
            return Result.done();
        }
        Job job = cached.get();
        String uid = job.getMetadata().getUid();
        List<Pod> owned = pods.list(job.getMetadata().getNamespace()).stream()
                .filter(p -> OwnerRefs.isControlledBy(p, uid)).toList();
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        List<JobCondition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
        if (JobConditions.isTrue(conditions, JobConditions.COMPLETE) || JobConditions.isTrue(conditions, JobConditions.FAILED)) {
            unfinalize(owned.stream().filter(JobPods::tracked).toList());
            return expireIfDue(job, conditions);
        }
        return new Sync(key, job, owned, status).run();
    }

    /**
     * One pass over a Job that has not finished: counts what its pods did, decides whether it
     * succeeded or failed, creates or deletes pods, writes the status, and only then releases the
     * pods whose outcome the status now records.
     */
    private final class Sync {
        private final String key;
        private final Job job;
        private final JobSpec spec;
        private final List<Pod> owned;
        private final JobStatus old;
        private final Instant now;
        private final boolean indexed;
        private final Integer completions;
        private final Set<String> uncountedSucceeded;
        private final Set<String> uncountedFailed;
        private final NavigableSet<Integer> completedIndexes;
        private final List<JobCondition> conditions;
        private final List<Pod> release = new ArrayList<>();
        private int succeeded;
        private int failed;
        private int newFailures;
        private int newSuccesses;
        private Duration requeue;

        Sync(String key, Job job, List<Pod> owned, JobStatus old) {
            this.key = key;
            this.job = job;
            this.spec = job.getSpec();
            this.owned = owned;
            this.old = old;
            this.now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            this.indexed = "Indexed".equals(spec.getCompletionMode());
            this.completions = spec.getCompletions();
            UncountedTerminatedPods uncounted = old.getUncountedTerminatedPods();
            this.uncountedSucceeded = new LinkedHashSet<>(uncounted == null || uncounted.getSucceeded() == null
                    ? List.of() : uncounted.getSucceeded());
            this.uncountedFailed = new LinkedHashSet<>(uncounted == null || uncounted.getFailed() == null
                    ? List.of() : uncounted.getFailed());
            this.completedIndexes = indexed && completions != null
                    ? CompletionIndexes.parse(old.getCompletedIndexes(), completions) : new TreeSet<>();
            this.conditions = new ArrayList<>(old.getConditions() == null ? List.of() : old.getConditions());
            this.succeeded = old.getSucceeded() == null ? 0 : old.getSucceeded();
            this.failed = old.getFailed() == null ? 0 : old.getFailed();
        }

        Result run() throws Exception {
            JobCondition finishing = interimCondition().orElse(null);
            boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
            PodFailurePolicies.Verdict failJob = trackFinishedPods(finishing, suspended);
            countReleasedPods();

            int succeededTotal = indexed ? completedIndexes.size() : succeeded + uncountedSucceeded.size();
            int failedTotal = failed + uncountedFailed.size();
            List<Pod> active = owned.stream().filter(JobPods::active).toList();
            String startTime = old.getStartTime();
            if (finishing == null) {
                finishing = decideOutcome(failJob, succeededTotal, failedTotal, active, suspended, startTime)
                        .orElse(null);
                if (finishing != null) {
                    JobConditions.set(conditions, finishing);
                }
            }

            if (finishing != null) {
                active = without(active, deletePods(active));
            } else if (suspended) {
                active = without(active, deletePods(active));
                if (!JobConditions.isTrue(conditions, JobConditions.SUSPENDED)) {
                    JobConditions.set(conditions, JobConditions.of(JobConditions.SUSPENDED, "True", "JobSuspended",
                            "Job suspended", now));
                    events.normal(job, "Suspended", "Job suspended");
                }
                startTime = null; // restarts when resumed, so activeDeadlineSeconds counts running time only
            } else {
                if (JobConditions.isTrue(conditions, JobConditions.SUSPENDED)) {
                    JobConditions.set(conditions, JobConditions.of(JobConditions.SUSPENDED, "False", "JobResumed",
                            "Job resumed", now));
                    events.normal(job, "Resumed", "Job resumed");
                    startTime = null;
                }
                if (startTime == null) {
                    startTime = now.toString();
                }
                if (expectations.satisfied(key)) {
                    active = managePods(active, succeededTotal);
                }
                deadlineRequeue(startTime);
            }

            JobStatus status = newStatus(active, startTime);
            boolean terminalWritten = finishIfDone(status, finishing);
            writeStatus(status);
            recordBackoff();
            unfinalize(release);
            if (terminalWritten) {
                if (spec.getTtlSecondsAfterFinished() != null) {
                    return Result.after(Duration.ofSeconds(Math.max(1, spec.getTtlSecondsAfterFinished())));
                }
            }
            return requeue == null ? Result.done() : Result.after(requeue);
        }

        private Optional<JobCondition> interimCondition() {
            return conditions.stream().filter(c -> "True".equals(c.getStatus()))
                    .filter(c -> c.getType().equals(JobConditions.FAILURE_TARGET)
                            || c.getType().equals(JobConditions.SUCCESS_CRITERIA_MET))
                    .findFirst();
        }

        /**
         * Records every finished, still-tracked pod in the uncounted lists (or marks it for
         * release without counting); returns the FailJob verdict of the pod failure policy, if any.
         */
        private PodFailurePolicies.Verdict trackFinishedPods(JobCondition finishing, boolean suspended) {
            boolean succeeding = finishing != null && finishing.getType().equals(JobConditions.SUCCESS_CRITERIA_MET);
            PodFailurePolicies.Verdict failJob = null;
            for (Pod pod : owned) {
                if (!JobPods.tracked(pod)) {
                    continue;
                }
                String uid = pod.getMetadata().getUid();
                if (uncountedSucceeded.contains(uid) || uncountedFailed.contains(uid)) {
                    release.add(pod);
                    continue;
                }
                int index = JobPods.index(pod);
                boolean validIndex = !indexed || (index >= 0 && completions != null && index < completions);
                if (JobPods.succeeded(pod)) {
                    release.add(pod);
                    if (indexed && (!validIndex || completedIndexes.contains(index))) {
                        continue; // a duplicate or stray index completes nothing
                    }
                    if (indexed) {
                        completedIndexes.add(index);
                    }
                    uncountedSucceeded.add(uid);
                    newSuccesses++;
                } else if (JobPods.countsAsFailed(pod, job) || (finishing != null && JobPods.deleting(pod))) {
                    release.add(pod);
                    if (succeeding || !validIndex || (suspended && !JobPods.failedPhase(pod))) {
                        continue; // pods removed because the Job succeeded or was suspended are no failures
                    }
                    if (JobPods.failedPhase(pod)) {
                        Optional<PodFailurePolicies.Verdict> verdict =
                                PodFailurePolicies.match(spec.getPodFailurePolicy(), pod);
                        if (verdict.isPresent() && verdict.get().action().equals("Ignore")) {
                            continue;
                        }
                        if (verdict.isPresent() && verdict.get().action().equals("FailJob") && failJob == null) {
                            failJob = verdict.get();
                        }
                    }
                    uncountedFailed.add(uid);
                    newFailures++;
                }
            }
            return failJob;
        }

        /** Moves uncounted pods whose finalizer is gone (or who are gone) into the counters. */
        private void countReleasedPods() {
            Map<String, Pod> byUid = owned.stream().collect(Collectors.toMap(p -> p.getMetadata().getUid(),
                    Function.identity(), (a, b) -> a));
            for (String uid : List.copyOf(uncountedSucceeded)) {
                Pod pod = byUid.get(uid);
                if (pod == null || !JobPods.tracked(pod)) {
                    uncountedSucceeded.remove(uid);
                    succeeded++;
                }
            }
            for (String uid : List.copyOf(uncountedFailed)) {
                Pod pod = byUid.get(uid);
                if (pod == null || !JobPods.tracked(pod)) {
                    uncountedFailed.remove(uid);
                    failed++;
                }
            }
        }

        private Optional<JobCondition> decideOutcome(PodFailurePolicies.Verdict failJob, int succeededTotal,
                                                     int failedTotal, List<Pod> active, boolean suspended,
                                                     String startTime) {
            int backoffLimit = spec.getBackoffLimit() == null ? 6 : spec.getBackoffLimit();
            if (failJob != null) {
                return Optional.of(JobConditions.of(JobConditions.FAILURE_TARGET, "True",
                        JobConditions.REASON_POD_FAILURE_POLICY, failJob.message(), now));
            }
            if (failedTotal > backoffLimit || pastBackoffLimitOnFailure(active, backoffLimit)) {
                return Optional.of(JobConditions.of(JobConditions.FAILURE_TARGET, "True",
                        JobConditions.REASON_BACKOFF_LIMIT, JobConditions.MESSAGE_BACKOFF_LIMIT, now));
            }
            if (!suspended && pastDeadline(startTime)) {
                return Optional.of(JobConditions.of(JobConditions.FAILURE_TARGET, "True",
                        JobConditions.REASON_DEADLINE, JobConditions.MESSAGE_DEADLINE, now));
            }
            boolean complete;
            if (indexed) {
                complete = completions != null && completedIndexes.size() >= completions;
            } else if (completions != null) {
                complete = succeededTotal >= completions;
            } else {
                // a work-queue Job is done once one pod succeeded and the others have finished
                complete = succeededTotal > 0 && active.isEmpty();
            }
            if (complete) {
                return Optional.of(JobConditions.of(JobConditions.SUCCESS_CRITERIA_MET, "True",
                        JobConditions.REASON_COMPLETIONS_REACHED, JobConditions.MESSAGE_COMPLETIONS_REACHED, now));
            }
            return Optional.empty();
        }

        private boolean pastBackoffLimitOnFailure(List<Pod> active, int backoffLimit) {
            if (!"OnFailure".equals(spec.getTemplate().getSpec().getRestartPolicy())) {
                return false;
            }
            int restarts = active.stream().mapToInt(JobPods::restarts).sum();
            return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
        }

        private boolean pastDeadline(String startTime) {
            if (spec.getActiveDeadlineSeconds() == null || startTime == null) {
                return false;
            }
            return !now.isBefore(Instant.parse(startTime).plusSeconds(spec.getActiveDeadlineSeconds()));
        }

        private void deadlineRequeue(String startTime) {
            if (spec.getActiveDeadlineSeconds() != null) {
                Instant deadline = Instant.parse(startTime).plusSeconds(spec.getActiveDeadlineSeconds());
                requeueAfter(Duration.between(clock.instant(), deadline).plusMillis(100));
            }
        }

        private void requeueAfter(Duration d) {
            Duration atLeast = d.isNegative() || d.isZero() ? Duration.ofMillis(100) : d;
            requeue = requeue == null || atLeast.compareTo(requeue) < 0 ? atLeast : requeue;
        }

        /** Creates or deletes pods towards the wanted number of active ones; returns the active pods left. */
        private List<Pod> managePods(List<Pod> active, int succeededTotal) throws Exception {
            int parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
            if (indexed) {
                return manageIndexed(active, parallelism);
            }
            int wanted;
            if (completions != null) {
                wanted = Math.max(0, Math.min(parallelism, completions - succeededTotal));
            } else {
                wanted = succeededTotal > 0 ? Math.min(active.size(), parallelism) : parallelism;
            }
            if (active.size() > wanted) {
                List<Pod> victims = active.stream().sorted(JobPods.DELETE_FIRST).limit(active.size() - wanted).toList();
                return without(active, deletePods(victims));
            }
            int missing = Math.min(wanted - active.size(), MAX_PODS_PER_SYNC);
            if (missing > 0 && backoffAllows()) {
                List<Integer> none = new ArrayList<>();
                for (int i = 0; i < missing; i++) {
                    none.add(null);
                }
                createPods(none);
            }
            return active;
        }

        private List<Pod> manageIndexed(List<Pod> active, int parallelism) throws Exception {
            List<Pod> excess = new ArrayList<>();
            Map<Integer, Pod> running = new java.util.TreeMap<>();
            for (Pod pod : active.stream().sorted(JobPods.DELETE_FIRST.reversed()).toList()) {
                int index = JobPods.index(pod);
                if (index < 0 || index >= completions || completedIndexes.contains(index) || running.containsKey(index)) {
                    excess.add(pod);
                } else {
                    running.put(index, pod);
                }
            }
            int wanted = Math.max(0, Math.min(parallelism, completions - completedIndexes.size()));
            List<Integer> byIndexDescending = new ArrayList<>(running.keySet());
            java.util.Collections.reverse(byIndexDescending);
            for (int i = 0; i < running.size() - wanted; i++) {
                excess.add(running.get(byIndexDescending.get(i)));
            }
            List<Pod> left = active;
            if (!excess.isEmpty()) {
                left = without(active, deletePods(excess));
            }
            int toCreate = Math.min(wanted - Math.min(running.size(), wanted), MAX_PODS_PER_SYNC);
            if (toCreate > 0 && backoffAllows()) {
                Set<Integer> busy = new java.util.HashSet<>(running.keySet());
                owned.stream().filter(JobPods::terminating).map(JobPods::index).forEach(busy::add);
                List<Integer> indexes = new ArrayList<>();
                for (int i = 0; i < completions && indexes.size() < toCreate; i++) {
                    if (!completedIndexes.contains(i) && !busy.contains(i)) {
                        indexes.add(i);
                    }
                }
                createPods(indexes);
            }
            return left;
        }

        private boolean backoffAllows() {
            Backoff backoff = backoffs.get(key);
            int failures = (backoff == null ? 0 : backoff.failures()) + newFailures;
            if (failures == 0 || newSuccesses > 0) {
                return true;
            }
            Instant last = newFailures > 0 || backoff == null ? clock.instant() : backoff.lastFailure();
            Instant readyAt = last.plus(backoffDelay(failures));
            Duration wait = Duration.between(clock.instant(), readyAt);
            if (wait.isNegative() || wait.isZero()) {
                return true;
            }
            requeueAfter(wait);
            return false;
        }

        private void createPods(List<Integer> indexes) throws Exception {
            expectations.expectCreations(key, indexes.size());
            KubernetesClientException failure = null;
            for (Integer index : indexes) {
                if (failure != null) {
                    expectations.creationObserved(key);
                    continue;
                }
                Pod pod = JobPods.newPod(job, index);
                try {
                    Pod created = client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
                    events.normal(job, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    expectations.creationObserved(key);
                    events.warning(job, "FailedCreate", "Error creating: " + e.getStatus().getMessage());
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        /** Deletes {@code victims}; returns those now gone or going. */
        private List<Pod> deletePods(List<Pod> victims) {
            if (victims.isEmpty()) {
                return victims;
            }
            List<Pod> deleted = new ArrayList<>();
            expectations.expectDeletions(key, victims.size());
            for (Pod pod : victims) {
                try {
                    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                            .delete();
                    events.normal(job, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
                    deleted.add(pod);
                } catch (KubernetesClientException e) {
                    expectations.deletionObserved(key);
                    if (e.getCode() == 404) {
                        deleted.add(pod);
                    } else {
                        events.warning(job, "FailedDelete", "Error deleting: " + e.getMessage());
                    }
                }
            }
            return deleted;
        }

        private List<Pod> without(List<Pod> all, List<Pod> removed) {
            return all.stream().filter(p -> !removed.contains(p)).toList();
        }

        private JobStatus newStatus(List<Pod> active, String startTime) {
            int ready = (int) active.stream().filter(JobPods::ready).count();
            int terminating = (int) owned.stream().filter(JobPods::terminating).count();
            UncountedTerminatedPods uncounted = new UncountedTerminatedPods(new ArrayList<>(uncountedFailed),
                    new ArrayList<>(uncountedSucceeded));
            return new JobStatusBuilder(old)
                    .withActive(active.isEmpty() ? null : active.size())
                    .withReady(ready)
                    .withTerminating(terminating)
                    .withSucceeded(nullIfZero(succeeded))
                    .withFailed(nullIfZero(failed))
                    .withCompletedIndexes(indexed ? CompletionIndexes.format(completedIndexes) : null)
                    .withUncountedTerminatedPods(uncounted)
                    .withStartTime(startTime)
                    .withConditions(conditions.isEmpty() ? null : conditions)
                    .build();
        }

        /** Adds Complete or Failed once nothing of the Job is left running; true if it did. */
        private boolean finishIfDone(JobStatus status, JobCondition finishing) {
            if (finishing == null || !uncountedSucceeded.isEmpty() || !uncountedFailed.isEmpty()) {
                return false;
            }
            boolean podsLeft = owned.stream().anyMatch(p -> (JobPods.active(p) || JobPods.terminating(p)
                    || (JobPods.tracked(p) && !release.contains(p))));
            if (podsLeft || !release.isEmpty()) {
                return false;
            }
            List<JobCondition> finalConditions = new ArrayList<>(status.getConditions());
            if (finishing.getType().equals(JobConditions.SUCCESS_CRITERIA_MET)) {
                JobConditions.set(finalConditions, JobConditions.of(JobConditions.COMPLETE, "True",
                        finishing.getReason(), finishing.getMessage(), now));
                status.setCompletionTime(now.toString());
                events.normal(job, "Completed", "Job completed");
            } else {
                JobConditions.set(finalConditions, JobConditions.of(JobConditions.FAILED, "True",
                        finishing.getReason(), finishing.getMessage(), now));
                events.warning(job, finishing.getReason(), finishing.getMessage());
            }
            status.setConditions(finalConditions);
            status.setActive(null);
            status.setReady(0);
            return true;
        }

        private void writeStatus(JobStatus status) {
            if (Objects.equals(status, job.getStatus())) {
                return;
            }
            Job updated = new JobBuilder(job).withStatus(status).build();
            client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(updated).updateStatus();
        }

        private void recordBackoff() {
            if (newFailures == 0 && newSuccesses == 0) {
                return;
            }
            backoffs.compute(key, (k, b) -> {
                int before = b == null || newSuccesses > 0 ? 0 : b.failures();
                if (newFailures == 0) {
                    return null;
                }
                return new Backoff(before + newFailures, clock.instant());
            });
        }
    }

    private static Integer nullIfZero(int n) {
        return n == 0 ? null : n;
    }

    /** Upstream's pod failure backoff: 10 s doubling with each failure since the last success, at most 10 min. */
    Duration backoffDelay(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration delay = backoffBase;
        for (int i = 1; i < failures; i++) {
            delay = delay.multipliedBy(2);
            if (delay.compareTo(MAX_BACKOFF) >= 0) {
                return MAX_BACKOFF;
            }
        }
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private Result expireIfDue(Job job, List<JobCondition> conditions) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        if (ttl == null) {
            return Result.done();
        }
        String finishedAt = job.getStatus().getCompletionTime();
        if (finishedAt == null) {
            finishedAt = JobConditions.find(conditions, JobConditions.FAILED)
                    .or(() -> JobConditions.find(conditions, JobConditions.COMPLETE))
                    .map(JobCondition::getLastTransitionTime).orElse(null);
        }
        if (finishedAt == null) {
            return Result.done();
        }
        Instant expiry = Instant.parse(finishedAt).plusSeconds(ttl);
        Duration left = Duration.between(clock.instant(), expiry);
        if (left.isPositive()) {
            return Result.after(left.plusMillis(100));
        }
        // the TTL controller's last look: the Job must still be this one and unchanged in its TTL
        var resource = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName());
        Job fresh = resource.get();
        if (fresh == null || !fresh.getMetadata().getUid().equals(job.getMetadata().getUid())
                || !Objects.equals(fresh.getSpec().getTtlSecondsAfterFinished(), ttl)) {
            return Result.done();
        }
        resource.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        return Result.done();
    }

    /**
     * Pods of a Job that is gone or going keep no tracking finalizer: nobody would count them,
     * and the finalizer would keep them forever.
     */
    private void releaseOrphans(String key, String uid) {
        String namespace = Keys.namespace(key);
        String name = Keys.name(key);
        List<Pod> orphans = pods.list(namespace).stream().filter(JobPods::tracked).filter(p -> {
            Optional<OwnerReference> ref = OwnerRefs.controllerOf(p);
            return ref.isPresent() && "Job".equals(ref.get().getKind()) && name.equals(ref.get().getName())
                    && (uid == null || uid.equals(ref.get().getUid()) || jobs.get(key).isEmpty());
        }).toList();
        unfinalize(orphans);
    }

    /** Removes the tracking finalizer; a pod already gone or already released is fine. */
    private void unfinalize(List<Pod> release) {
        for (Pod pod : release) {
            List<String> finalizers = pod.getMetadata().getFinalizers();
            int at = finalizers == null ? -1 : finalizers.indexOf(JobPods.TRACKING_FINALIZER);
            if (at < 0) {
                continue;
            }
            String patch = "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/" + at + "\",\"value\":\""
                    + JobPods.TRACKING_FINALIZER + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/" + at + "\"}]";
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON), patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }
}
