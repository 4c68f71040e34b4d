package dev.konductor.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.controllers.framework.TestClock;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Job controller against a real API server; the tests play the kubelet by writing pod status. */
class JobControllerTest {

    private static LocalApiServer api;
    private static KubernetesClient client;
    private static Informers informers;
    private static ControllerContext context;
    private static JobController controller;
    private static final TestClock clock = new TestClock();

    @BeforeAll
    static void start() throws Exception {
        api = LocalApiServer.start();
        client = api.client();
        informers = new Informers(client);
        context = new ControllerContext(client, informers, clock, ControllerSettings.defaults());
        controller = new JobController(Duration.ofMillis(200));
        controller.start(context);
        informers.startAll(10_000);
    }

    @AfterAll
    static void stop() {
        controller.close();
        context.close();
        informers.close();
        api.close();
    }

    private static Job job(String name, UnaryOperator<JobBuilder> edit) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec();
        return client.batch().v1().jobs().inNamespace("default").resource(edit.apply(b).build()).create();
    }

    private static List<Pod> pods(String job) {
        return client.pods().inNamespace("default").withLabel("batch.kubernetes.io/job-name", job).list().getItems()
                .stream().sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())).toList();
    }

    private static List<Pod> runningPods(String job) {
        return pods(job).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
                && !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase())).toList();
    }

    private static void finish(Pod pod, String phase, int exitCode) {
        client.pods().inNamespace("default").withName(pod.getMetadata().getName()).editStatus(p -> new PodBuilder(p)
                .editOrNewStatus().withPhase(phase).withContainerStatuses(new ContainerStatusBuilder().withName("c")
                        .withNewState().withNewTerminated().withExitCode(exitCode).endTerminated().endState().build())
                .endStatus().build());
    }

    private static Job get(String name) {
        return client.batch().v1().jobs().inNamespace("default").withName(name).get();
    }

    private static boolean hasCondition(String job, String type, String reason) {
        Job j = get(job);
        if (j == null || j.getStatus() == null || j.getStatus().getConditions() == null) {
            return false;
        }
        return j.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals(type)
                && c.getStatus().equals("True") && c.getReason().equals(reason));
    }

    private static boolean hasEvent(String job, String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream().anyMatch(e ->
                e.getInvolvedObject().getName().equals(job) && e.getReason().equals(reason));
    }

    @Test
    void runsPodsOneAfterAnotherUntilCompletionsAreReached() {
        job("two", b -> b.editSpec().withCompletions(2).withParallelism(1).endSpec());
        Await.until("the first pod", () -> runningPods("two").size() == 1);
        Pod first = runningPods("two").get(0);
        assertThat(first.getMetadata().getFinalizers()).contains("batch.kubernetes.io/job-tracking");
        assertThat(first.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Job");
        assertThat(first.getMetadata().getName()).startsWith("two-");
        Await.until("status.active=1", () -> Integer.valueOf(1).equals(get("two").getStatus().getActive()));
        assertThat(get("two").getStatus().getStartTime()).isNotNull();

        finish(first, "Succeeded", 0);
        Await.until("a second pod", () -> runningPods("two").size() == 1
                && !runningPods("two").get(0).getMetadata().getName().equals(first.getMetadata().getName()));
        finish(runningPods("two").get(0), "Succeeded", 0);

        Await.until("the Job completes", () -> hasCondition("two", "Complete", "CompletionsReached"));
        Job done = get("two");
        assertThat(done.getStatus().getSucceeded()).isEqualTo(2);
        assertThat(done.getStatus().getActive()).isNull();
        assertThat(done.getStatus().getCompletionTime()).isNotNull();
        assertThat(done.getStatus().getUncountedTerminatedPods().getSucceeded()).isEmpty();
        assertThat(hasCondition("two", "SuccessCriteriaMet", "CompletionsReached")).isTrue();
        assertThat(pods("two")).allSatisfy(p -> assertThat(p.getMetadata().getFinalizers()).isNullOrEmpty());
        Await.until("events", () -> hasEvent("two", "SuccessfulCreate") && hasEvent("two", "Completed"));
    }

    @Test
    void failsWithBackoffLimitExceededAfterTooManyPodFailures() {
        job("flaky", b -> b.editSpec().withBackoffLimit(1).endSpec());
        Await.until("the first pod", () -> runningPods("flaky").size() == 1);
        finish(runningPods("flaky").get(0), "Failed", 1);
        Await.until("a replacement after the backoff", () -> runningPods("flaky").size() == 1);
        finish(runningPods("flaky").get(0), "Failed", 1);
        Await.until("the Job fails", () -> hasCondition("flaky", "Failed", "BackoffLimitExceeded"));
        Job failed = get("flaky");
        assertThat(failed.getStatus().getFailed()).isEqualTo(2);
        assertThat(failed.getStatus().getCompletionTime()).isNull();
        assertThat(hasCondition("flaky", "FailureTarget", "BackoffLimitExceeded")).isTrue();
        assertThat(failed.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Failed"))
                .extracting(JobCondition::getMessage).containsExactly("Job has reached the specified backoff limit");
        Await.until("the warning event", () -> hasEvent("flaky", "BackoffLimitExceeded"));
    }

    @Test
    void indexedJobsGiveEachPodItsIndex() {
        job("idx", b -> b.editSpec().withCompletions(3).withParallelism(2).withCompletionMode("Indexed").endSpec());
        Await.until("two pods", () -> runningPods("idx").size() == 2);
        Map<String, Pod> byIndex = new java.util.TreeMap<>();
        runningPods("idx").forEach(p -> byIndex.put(p.getMetadata().getAnnotations()
                .get("batch.kubernetes.io/job-completion-index"), p));
        assertThat(byIndex).containsOnlyKeys("0", "1");
        Pod one = byIndex.get("1");
        assertThat(one.getMetadata().getLabels()).containsEntry("batch.kubernetes.io/job-completion-index", "1");
        assertThat(one.getSpec().getHostname()).isEqualTo("idx-1");
        assertThat(one.getMetadata().getName()).startsWith("idx-1-");
        assertThat(one.getSpec().getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("JOB_COMPLETION_INDEX"));

        finish(one, "Succeeded", 0);
        Await.until("index 2 starts", () -> runningPods("idx").stream().anyMatch(p -> "2".equals(
                p.getMetadata().getAnnotations().get("batch.kubernetes.io/job-completion-index"))));
        Await.until("completedIndexes=1", () -> "1".equals(get("idx").getStatus().getCompletedIndexes()));
        runningPods("idx").forEach(p -> finish(p, "Succeeded", 0));
        Await.until("the Job completes", () -> hasCondition("idx", "Complete", "CompletionsReached"));
        assertThat(get("idx").getStatus().getCompletedIndexes()).isEqualTo("0-2");
        assertThat(get("idx").getStatus().getSucceeded()).isEqualTo(3);
    }

    @Test
    void activeDeadlineFailsTheJobAndRemovesItsPods() {
        job("slow", b -> b.editSpec().withActiveDeadlineSeconds(60L).withParallelism(2).withCompletions(2).endSpec());
        Await.until("two pods", () -> runningPods("slow").size() == 2);
        Await.until("startTime", () -> get("slow").getStatus().getStartTime() != null);
        clock.advance(Duration.ofSeconds(61));
        try {
            controller.resync("default/slow");
            Await.until("the Job fails", () -> hasCondition("slow", "Failed", "DeadlineExceeded"));
        } finally {
            clock.advance(Duration.ofSeconds(-61));
        }
        assertThat(runningPods("slow")).isEmpty();
        assertThat(get("slow").getStatus().getFailed()).isEqualTo(2);
        Await.until("events", () -> hasEvent("slow", "SuccessfulDelete") && hasEvent("slow", "DeadlineExceeded"));
    }

    @Test
    void aFinishedJobIsDeletedOnceItsTtlPasses() {
        job("ttl", b -> b.editSpec().withTtlSecondsAfterFinished(0).endSpec());
        Await.until("a pod", () -> runningPods("ttl").size() == 1);
        finish(runningPods("ttl").get(0), "Succeeded", 0);
        Await.until("the Job is deleted", () -> get("ttl") == null);
    }

    @Test
    void aSuspendedJobRunsNothingUntilResumed() {
        job("later", b -> b.editSpec().withSuspend(true).endSpec());
        Await.until("the Suspended condition", () -> hasCondition("later", "Suspended", "JobSuspended"));
        assertThat(pods("later")).isEmpty();
        assertThat(get("later").getStatus().getStartTime()).isNull();
        client.batch().v1().jobs().inNamespace("default").withName("later")
                .edit(j -> new JobBuilder(j).editSpec().withSuspend(false).endSpec().build());
        Await.until("a pod once resumed", () -> runningPods("later").size() == 1);
        Await.until("the resumed condition", () -> get("later").getStatus().getConditions().stream().anyMatch(c ->
                c.getType().equals("Suspended") && c.getStatus().equals("False") && c.getReason().equals("JobResumed")));
    }

    @Test
    void podFailurePolicyFailJobEndsTheJobAtOnce() {
        job("strict", b -> b.editSpec().withBackoffLimit(5).withNewPodFailurePolicy().addNewRule().withAction("FailJob")
                .withNewOnExitCodes().withOperator("In").withValues(42).endOnExitCodes().endRule()
                .endPodFailurePolicy().endSpec());
        Await.until("a pod", () -> runningPods("strict").size() == 1);
        Pod pod = runningPods("strict").get(0);
        finish(pod, "Failed", 42);
        Await.until("the Job fails", () -> hasCondition("strict", "Failed", "PodFailurePolicy"));
        assertThat(get("strict").getStatus().getConditions()).filteredOn(c -> c.getType().equals("Failed"))
                .extracting(JobCondition::getMessage).containsExactly("Container c for pod default/"
                        + pod.getMetadata().getName() + " failed with exit code 42 matching FailJob rule at index 0");
    }

    @Test
    void readyPodsAreCounted() {
        job("ready", b -> b);
        Await.until("a pod", () -> runningPods("ready").size() == 1);
        client.pods().inNamespace("default").withName(runningPods("ready").get(0).getMetadata().getName())
                .editStatus(p -> new PodBuilder(p).editOrNewStatus().withPhase("Running").withConditions(
                        new PodConditionBuilder().withType("Ready").withStatus("True").build()).endStatus().build());
        Await.until("status.ready=1", () -> Integer.valueOf(1).equals(get("ready").getStatus().getReady()));
    }
}
