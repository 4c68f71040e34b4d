package dev.konductor.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.controllers.framework.TestClock;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CronJob controller against a real API server, with a clock the tests move to each
 * activation instead of waiting for it. No Job controller runs: the tests finish Jobs themselves.
 */
class CronJobControllerTest {

    private static LocalApiServer api;
    private static KubernetesClient client;
    private static Informers informers;
    private static ControllerContext context;
    private static CronJobController controller;
    private static final TestClock clock = new TestClock();

    @BeforeAll
    static void start() throws Exception {
        api = LocalApiServer.start();
        client = api.client();
        informers = new Informers(client);
        context = new ControllerContext(client, informers, clock, ControllerSettings.defaults());
        controller = new CronJobController();
        controller.start(context);
        informers.startAll(10_000);
    }

    @BeforeEach
    void realTime() {
        clock.reset();
    }

    @AfterAll
    static void stop() {
        controller.close();
        context.close();
        informers.close();
        api.close();
    }

    /** Creates a CronJob firing every minute (UTC) and returns its first activation. */
    private static Instant cronJob(String name, UnaryOperator<CronJobBuilder> edit) {
        CronJobBuilder b = new CronJobBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withSchedule("* * * * *").withTimeZone("UTC").withNewJobTemplate()
                .withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec();
        CronJob created = client.batch().v1().cronjobs().inNamespace("default").resource(edit.apply(b).build()).create();
        return Instant.parse(created.getMetadata().getCreationTimestamp()).truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
    }

    private static void at(String cronJob, Instant when) {
        clock.moveTo(when);
        controller.resync("default/" + cronJob);
    }

    private static String jobName(String cronJob, Instant activation) {
        return cronJob + "-" + activation.getEpochSecond() / 60;
    }

    private static Job job(String name) {
        return client.batch().v1().jobs().inNamespace("default").withName(name).get();
    }

    private static CronJob get(String name) {
        return client.batch().v1().cronjobs().inNamespace("default").withName(name).get();
    }

    private static List<String> active(String cronJob) {
        CronJob cj = get(cronJob);
        return cj.getStatus() == null || cj.getStatus().getActive() == null ? List.of()
                : cj.getStatus().getActive().stream().map(r -> r.getName()).toList();
    }

    private static void complete(String job, Instant at) {
        client.batch().v1().jobs().inNamespace("default").withName(job).editStatus(j -> new JobBuilder(j).editOrNewStatus()
                .withStartTime(at.minusSeconds(5).toString()).withCompletionTime(at.toString()).withSucceeded(1)
                .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
                        .withReason("CompletionsReached").build()).endStatus().build());
    }

    private static boolean hasEvent(String object, String reason, String message) {
        return client.v1().events().inNamespace("default").list().getItems().stream().anyMatch(e ->
                e.getInvolvedObject().getName().equals(object) && e.getReason().equals(reason)
                        && (message == null || e.getMessage().equals(message)));
    }

    @Test
    void startsAJobAtEachActivationAndNotesItsCompletion() {
        Instant first = cronJob("tick", b -> b);
        at("tick", first.plusSeconds(5));
        String name = jobName("tick", first);
        Await.until("the Job of the first activation", () -> job(name) != null);
        Job started = job(name);
        assertThat(started.getMetadata().getAnnotations())
                .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", first.toString());
        assertThat(started.getMetadata().getLabels()).containsEntry("app", "tick");
        assertThat(started.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("CronJob");
        Await.until("status.active lists it", () -> active("tick").equals(List.of(name)));
        assertThat(get("tick").getStatus().getLastScheduleTime()).isEqualTo(first.toString());
        Await.until("the create event", () -> hasEvent("tick", "SuccessfulCreate", "Created job " + name));

        complete(name, first.plusSeconds(30));
        Await.until("the completed Job leaves status.active", () -> active("tick").isEmpty());
        assertThat(get("tick").getStatus().getLastSuccessfulTime()).isEqualTo(first.plusSeconds(30).toString());
        Await.until("SawCompletedJob", () -> hasEvent("tick", "SawCompletedJob",
                "Saw completed job: " + name + ", condition: Complete"));
    }

    @Test
    void forbidSkipsAnActivationWhileTheLastJobRuns() {
        Instant first = cronJob("forbid", b -> b.editSpec().withConcurrencyPolicy("Forbid").endSpec());
        at("forbid", first.plusSeconds(5));
        Await.until("the first Job", () -> job(jobName("forbid", first)) != null);
        Await.until("it is active", () -> active("forbid").size() == 1);
        at("forbid", first.plusSeconds(65));
        Await.until("the skip is reported", () -> hasEvent("forbid", "JobAlreadyActive", null));
        assertThat(job(jobName("forbid", first.plusSeconds(60)))).isNull();
    }

    @Test
    void replaceDeletesTheRunningJobForTheNewOne() {
        Instant first = cronJob("replace", b -> b.editSpec().withConcurrencyPolicy("Replace").endSpec());
        at("replace", first.plusSeconds(5));
        Await.until("the first Job is active", () -> active("replace").size() == 1);
        Instant second = first.plusSeconds(60);
        at("replace", second.plusSeconds(5));
        Await.until("only the second Job is active", () -> active("replace").equals(List.of(jobName("replace", second))));
        Await.until("the first Job is deleted", () -> job(jobName("replace", first)) == null);
        Await.until("the delete event", () -> hasEvent("replace", "SuccessfulDelete",
                "Deleted job " + jobName("replace", first)));
    }

    @Test
    void anActivationPastTheStartingDeadlineIsMissed() {
        Instant first = cronJob("late", b -> b.editSpec().withStartingDeadlineSeconds(10L).endSpec());
        at("late", first.plusSeconds(30));
        Await.until("MissSchedule", () -> hasEvent("late", "MissSchedule", null));
        assertThat(job(jobName("late", first))).isNull();
    }

    @Test
    void finishedJobsBeyondTheHistoryLimitAreDeleted() {
        Instant first = cronJob("history", b -> b.editSpec().withSuccessfulJobsHistoryLimit(1).endSpec());
        at("history", first.plusSeconds(5));
        Await.until("the first Job", () -> active("history").size() == 1);
        complete(jobName("history", first), first.plusSeconds(10));
        Await.until("it is done", () -> active("history").isEmpty());
        Instant second = first.plusSeconds(60);
        at("history", second.plusSeconds(5));
        Await.until("the second Job", () -> active("history").size() == 1);
        complete(jobName("history", second), second.plusSeconds(10));
        Await.until("the older finished Job is deleted", () -> job(jobName("history", first)) == null);
        assertThat(job(jobName("history", second))).isNotNull();
    }

    @Test
    void aSuspendedCronJobStartsNothing() throws Exception {
        Instant first = cronJob("paused", b -> b.editSpec().withSuspend(true).endSpec());
        at("paused", first.plusSeconds(5));
        Thread.sleep(300);
        assertThat(job(jobName("paused", first))).isNull();
    }
}
