package dev.konductor.controllers.cronjob;

import dev.konductor.api.validation.CronSchedule;
import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Handlers;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's CronJob controller (v2): creates a Job for each activation of the schedule, named
 * {@code <cronjob>-<scheduled minutes since the epoch>} so that one activation never yields two
 * Jobs; honours timeZone, startingDeadlineSeconds, suspend and the concurrency policy; keeps
 * {@code status.active}, {@code lastScheduleTime} and {@code lastSuccessfulTime}; and deletes
 * finished Jobs beyond the history limits. Time comes from the context's clock.
 */
public final class CronJobController implements Controller {

    public static final String NAME = "cronjob-controller";
    public static final String SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    /** Upstream gives up counting missed activations past this many, and says so. */
    private static final int MAX_MISSED = 100;
    /** Go's time.RFC1123Z, which upstream's MissSchedule message uses. */
    private static final DateTimeFormatter RFC1123Z =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private KubernetesClient client;
    private Clock clock;
    private Lister<CronJob> cronJobs;
    private Lister<Job> jobs;
    private CoreEvents events;
    private ControllerLoop loop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        clock = context.clock();
        cronJobs = context.informers().lister(CronJob.class);
        jobs = context.informers().lister(Job.class);
        events = context.events(NAME);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());
        context.informers().of(CronJob.class).addEventHandler(
                Handlers.onAddOrUpdate((CronJob x) -> loop.enqueue(Keys.of(x))));
        context.informers().of(Job.class).addEventHandler(Handlers.onChange((Job x) -> enqueueOwner(x)));
        loop.start(context.informers()::synced);
    }

    private void enqueueOwner(Job job) {
        OwnerRefs.controllerOf(job).filter(ref -> "CronJob".equals(ref.getKind()))
                .ifPresent(ref -> loop.enqueue(Keys.of(job.getMetadata().getNamespace(), ref.getName())));
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

    Result reconcile(String key) {
        Optional<CronJob> cached = cronJobs.get(key);
        if (cached.isEmpty()) {
            return Result.done();
        }
        CronJob cj = cached.get();
        String uid = cj.getMetadata().getUid();
        List<Job> children = jobs.list(cj.getMetadata().getNamespace()).stream()
                .filter(j -> OwnerRefs.isControlledBy(j, uid)).toList();
        CronJobStatus status = new CronJobStatusBuilder(cj.getStatus() == null ? new CronJobStatus() : cj.getStatus())
                .build();
        List<ObjectReference> active = new ArrayList<>(status.getActive() == null ? List.of() : status.getActive());

        syncActive(cj, children, active, status);
        Result result = cj.getMetadata().getDeletionTimestamp() != null ? Result.done()
                : schedule(cj, active, status);
        status.setActive(active.isEmpty() ? null : active);
        writeStatus(cj, status);
        if (cj.getMetadata().getDeletionTimestamp() == null) {
            cleanUpHistory(cj, children, active);
        }
        return result;
    }

    /** Brings status.active in line with the Jobs that exist, noting the ones that finished. */
    private void syncActive(CronJob cj, List<Job> children, List<ObjectReference> active, CronJobStatus status) {
        Set<String> childUids = new HashSet<>();
        for (Job job : children) {
            String jobUid = job.getMetadata().getUid();
            childUids.add(jobUid);
            boolean listed = active.stream().anyMatch(r -> jobUid.equals(r.getUid()));
            Optional<String> finished = finishedCondition(job);
            if (!listed && finished.isEmpty()) {
                // our cached CronJob may predate the status write that listed this Job: ask the server
                Optional<ObjectReference> live = liveActiveRef(cj, jobUid);
                if (live.isPresent()) {
                    active.add(live.get());
                } else {
                    events.warning(cj, "UnexpectedJob", "Saw a job that the controller did not create or forgot: "
                            + job.getMetadata().getName());
                }
            } else if (listed && finished.isPresent()) {
                active.removeIf(r -> jobUid.equals(r.getUid()));
                events.normal(cj, "SawCompletedJob", "Saw completed job: " + job.getMetadata().getName()
                        + ", condition: " + finished.get());
            }
            if (finished.filter("Complete"::equals).isPresent() && job.getStatus().getCompletionTime() != null) {
                String completed = job.getStatus().getCompletionTime();
                if (status.getLastSuccessfulTime() == null
                        || Instant.parse(status.getLastSuccessfulTime()).isBefore(Instant.parse(completed))) {
                    status.setLastSuccessfulTime(completed);
                }
            }
        }
        for (ObjectReference ref : List.copyOf(active)) {
            if (childUids.contains(ref.getUid())) {
                continue;
            }
            // the cache may lag behind a Job just created: ask the server before forgetting it
            Job live = client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace())
                    .withName(ref.getName()).get();
            if (live == null || !Objects.equals(live.getMetadata().getUid(), ref.getUid())) {
                events.normal(cj, "MissingJob", "Active job went missing: " + ref.getName());
                active.remove(ref);
            }
        }
    }

    private Optional<ObjectReference> liveActiveRef(CronJob cj, String jobUid) {
        CronJob live = client.batch().v1().cronjobs().inNamespace(cj.getMetadata().getNamespace())
                .withName(cj.getMetadata().getName()).get();
        if (live == null || live.getStatus() == null || live.getStatus().getActive() == null) {
            return Optional.empty();
        }
        return live.getStatus().getActive().stream().filter(r -> jobUid.equals(r.getUid())).findFirst();
    }

    private static Optional<String> finishedCondition(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()))
                .map(c -> c.getType()).findFirst();
    }

    /** Starts the Job for the most recent missed activation, if it is due; says when to look again. */
    private Result schedule(CronJob cj, List<ObjectReference> active, CronJobStatus status) {
        ZoneId zone;
        try {
            zone = cj.getSpec().getTimeZone() == null ? ZoneId.systemDefault() : ZoneId.of(cj.getSpec().getTimeZone());
        } catch (DateTimeException e) {
            events.warning(cj, "UnknownTimeZone", "invalid timeZone: \"" + cj.getSpec().getTimeZone() + "\": "
                    + e.getMessage());
            return Result.done();
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(cj.getSpec().getSchedule());
        } catch (IllegalArgumentException e) {
            events.warning(cj, "UnparseableSchedule", "unparseable schedule: \"" + cj.getSpec().getSchedule()
                    + "\" : " + e.getMessage());
            return Result.done();
        }
        if (Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
            return Result.done();
        }
        ZonedDateTime now = clock.instant().atZone(zone);
        Optional<ZonedDateTime> due = mostRecentActivation(cj, schedule, now, status);
        if (due.isEmpty()) {
            return nextLook(schedule, now);
        }
        ZonedDateTime scheduled = due.get();
        Long deadline = cj.getSpec().getStartingDeadlineSeconds();
        if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
            events.warning(cj, "MissSchedule", "Missed scheduled time to start a job: "
                    + scheduled.withZoneSameInstant(ZoneId.of("UTC")).format(RFC1123Z));
            return nextLook(schedule, now);
        }
        String jobName = jobName(cj, scheduled);
        if (active.stream().anyMatch(r -> jobName.equals(r.getName()))) {
            return nextLook(schedule, now);
        }
        String policy = cj.getSpec().getConcurrencyPolicy() == null ? "Allow" : cj.getSpec().getConcurrencyPolicy();
        if (policy.equals("Forbid") && !active.isEmpty()) {
            events.normal(cj, "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid");
            return nextLook(schedule, now);
        }
        if (policy.equals("Replace")) {
            for (ObjectReference ref : List.copyOf(active)) {
                deleteJob(cj, ref.getName());
                active.remove(ref);
            }
        }
        Job created = createJob(cj, jobName, scheduled);
        if (created != null) {
            active.add(new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                    .withNamespace(created.getMetadata().getNamespace()).withName(created.getMetadata().getName())
                    .withUid(created.getMetadata().getUid())
                    .withResourceVersion(created.getMetadata().getResourceVersion()).build());
        }
        status.setLastScheduleTime(scheduled.toInstant().toString());
        return nextLook(schedule, now);
    }

    /**
     * The latest activation in (last schedule time or creation, now]; empty when none is due.
     */
    private Optional<ZonedDateTime> mostRecentActivation(CronJob cj, CronSchedule schedule, ZonedDateTime now,
                                                         CronJobStatus status) {
        String since = status.getLastScheduleTime() != null ? status.getLastScheduleTime()
                : cj.getMetadata().getCreationTimestamp();
        // the starting deadline is not applied here: an activation it rules out is reported as missed
        ZonedDateTime earliest = Instant.parse(since).atZone(now.getZone());
        Optional<ZonedDateTime> latest = Optional.empty();
        int missed = 0;
        for (Optional<ZonedDateTime> t = schedule.next(earliest); t.isPresent() && !t.get().isAfter(now);
             t = schedule.next(t.get())) {
            latest = t;
            if (++missed > MAX_MISSED) {
                events.warning(cj, "TooManyMissedTimes", "too many missed start times: " + missed
                        + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
                // jump to the last activation before now instead of walking every one
                latest = lastBefore(schedule, now);
                break;
            }
        }
        return latest;
    }

    private static Optional<ZonedDateTime> lastBefore(CronSchedule schedule, ZonedDateTime now) {
        for (Duration back = Duration.ofHours(1); back.compareTo(Duration.ofDays(366 * 5)) < 0; back = back.multipliedBy(4)) {
            Optional<ZonedDateTime> latest = Optional.empty();
            for (Optional<ZonedDateTime> t = schedule.next(now.minus(back)); t.isPresent() && !t.get().isAfter(now);
                 t = schedule.next(t.get())) {
                latest = t;
            }
            if (latest.isPresent()) {
                return latest;
            }
        }
        return Optional.empty();
    }

    private Result nextLook(CronSchedule schedule, ZonedDateTime now) {
        return schedule.next(now).map(t -> Result.after(Duration.between(now, t).plusMillis(100)))
                .orElse(Result.done());
    }

    /** {@code <cronjob>-<minutes since the epoch>}: one name per activation. */
    static String jobName(CronJob cj, ZonedDateTime scheduled) {
        return cj.getMetadata().getName() + "-" + scheduled.toEpochSecond() / 60;
    }

    private Job createJob(CronJob cj, String name, ZonedDateTime scheduled) {
        var template = cj.getSpec().getJobTemplate();
        var meta = template.getMetadata();
        Job job = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(cj.getMetadata().getNamespace())
                .withLabels(meta == null ? null : meta.getLabels())
                .withAnnotations(meta == null ? null : meta.getAnnotations())
                .addToAnnotations(SCHEDULED_TIMESTAMP_ANNOTATION,
                        scheduled.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .withOwnerReferences(OwnerRefs.controllerRef(cj))
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
        try {
            Job created = client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace()).resource(job).create();
            events.normal(cj, "SuccessfulCreate", "Created job " + name);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // made on an earlier pass whose status write was lost: adopt it if it is ours
                Job existing = client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace()).withName(name).get();
                return existing != null && OwnerRefs.isControlledBy(existing, cj.getMetadata().getUid()) ? existing : null;
            }
            events.warning(cj, "FailedCreate", "Error creating job: " + e.getMessage());
            throw e;
        }
    }

    private void deleteJob(CronJob cj, String name) {
        try {
            client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace()).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            events.normal(cj, "SuccessfulDelete", "Deleted job " + name);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                events.warning(cj, "FailedDelete", "Deleted job: " + e.getMessage());
                throw e;
            }
        }
    }

    /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
    private void cleanUpHistory(CronJob cj, List<Job> children, List<ObjectReference> active) {
        Integer successLimit = cj.getSpec().getSuccessfulJobsHistoryLimit();
        Integer failedLimit = cj.getSpec().getFailedJobsHistoryLimit();
        List<Job> succeeded = new ArrayList<>();
        List<Job> failed = new ArrayList<>();
        for (Job job : children) {
            if (job.getMetadata().getDeletionTimestamp() != null
                    || active.stream().anyMatch(r -> r.getUid().equals(job.getMetadata().getUid()))) {
                continue;
            }
            finishedCondition(job).ifPresent(c -> (c.equals("Complete") ? succeeded : failed).add(job));
        }
        trim(cj, succeeded, successLimit);
        trim(cj, failed, failedLimit);
    }

    private void trim(CronJob cj, List<Job> finished, Integer limit) {
        if (limit == null || finished.size() <= limit) {
            return;
        }
        finished.sort(Comparator.comparing((Job j) -> j.getStatus().getStartTime() == null
                ? j.getMetadata().getCreationTimestamp() : j.getStatus().getStartTime()));
        for (Job job : finished.subList(0, finished.size() - limit)) {
            deleteJob(cj, job.getMetadata().getName());
        }
    }

    private void writeStatus(CronJob cj, CronJobStatus status) {
        if (Objects.equals(status, cj.getStatus())) {
            return;
        }
        CronJob updated = new CronJobBuilder(cj).withStatus(status).build();
        client.batch().v1().cronjobs().inNamespace(cj.getMetadata().getNamespace()).resource(updated).updateStatus();
    }
}
