package dev.konductor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.node.NodeAgent;
import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's process runtime as a user meets it, with the real kubectl against a kubelet whose
 * containers are host processes (LocalApiServer, kubelet, process runtime): a web server
 * answering on the node's port, exec with its exit code, logs (also followed and of the previous
 * attempt), CrashLoopBackOff, port-forward, attach, a deletion that ends every process of the pod
 * within its grace period, and plain words where a pod cannot run.
 */
class ProcessNodeEndToEndTest {

    private static final String NODE = "kp-node";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static ProcessTestNode node;
    private static KubernetesClient client;
    private static Kubectl kubectl;

    @BeforeAll
    static void startNode() throws Exception {
        node = ProcessTestNode.start("kp-e2e", NODE);
        client = node.client();
        kubectl = node.kubectl();
        Await.until(Duration.ofSeconds(60), "node Ready", () -> {
            Node n = client.nodes().withName(NODE).get();
            return n != null && n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions()
                    .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aWebServerRunsAsAHostProcessOnTheNodesPortAndExecAndPortForwardReachIt() throws Exception {
        int port = freePort();
        run("run", "web", "--image=busybox", "--overrides", nodeOverride(), "--", "httpd", "-f", "-p", Integer.toString(port));
        awaitReady("web");
        run("exec", "web", "--", "sh", "-c", "echo hello from $HOSTNAME > index.html");

        assertThat(get(port)).isEqualTo("hello from web\n");
        Pod pod = client.pods().withName("web").get();
        assertThat(pod.getStatus().getPodIP()).as("the node's address").isEqualTo("127.0.0.1");
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getContainerID()).startsWith("process://");
        String described = run("describe", "pod", "web").out();
        assertThat(described).contains("HostProcesses").contains("Containers run as host processes on the node"
                + " (process runtime): no container images, no isolation, the node's network and IP address");
        assertThat(described).contains("Container image \"busybox\" not pulled: the process runtime runs busybox's applets");

        Kubectl.Result failing = kubectl.run("exec", "web", "--", "sh", "-c", "exit 3");
        assertThat(failing.exitCode()).isEqualTo(3);
        assertThat(failing.err()).contains("command terminated with exit code 3");
        Kubectl.Result echoed = kubectl.runWith(Kubectl.DISPATCHER, "piped in\n".getBytes(StandardCharsets.UTF_8),
                "exec", "-i", "web", "--", "cat");
        assertThat(echoed.out()).isEqualTo("piped in\n");
        try (Kubectl.PortForward forward = kubectl.portForward(Kubectl.DISPATCHER, "pod/web", port)) {
            assertThat(get(forward.localPort(0))).isEqualTo("hello from web\n");
        }
        deleteAndExpectNoProcessLeft("web", "httpd -f -p " + port);
    }

    @Test
    void logsAreThereFollowedAndOfThePreviousAttemptOfACrashLoopingContainer() throws Exception {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: crasher}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 1
                  containers:
                  - {name: crasher, image: busybox, command: [sh, -c, "echo attempt at $(date +%%s); exit 1"]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: counter}
                spec:
                  nodeName: %s
                  restartPolicy: Never
                  containers:
                  - {name: counter, image: busybox, command: [sh, -c, "sleep 2; for i in 1 2 3; do echo line $i; sleep 1; done"]}
                """.formatted(NODE, NODE));

        Await.until(WAIT, "crasher in CrashLoopBackOff", () -> status("crasher").filter(s -> s.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason())).isPresent());
        ContainerStatus crasher = status("crasher").orElseThrow();
        assertThat(crasher.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(crasher.getRestartCount()).isGreaterThanOrEqualTo(1);
        assertThat(run("logs", "crasher", "--previous").out()).startsWith("attempt at ");

        Await.until(WAIT, "counter running", () -> status("counter").filter(s -> s.getState().getRunning() != null).isPresent());
        assertThat(run("logs", "-f", "counter").out()).as("followed to the container's end").isEqualTo("line 1\nline 2\nline 3\n");
        Await.until(WAIT, "counter Succeeded", () -> "Succeeded".equals(client.pods().withName("counter").get().getStatus()
                .getPhase()));
        run("delete", "pod", "crasher", "counter");
    }

    @Test
    void deletingAPodEndsEveryProcessOfItWithinItsGracePeriod() throws Exception {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: stubborn}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: stubborn
                    image: busybox
                    command: [sh, -c, "trap '' TERM; sh -c \\"trap '' TERM; sleep 4711007\\" & sleep 4711008"]
                """.formatted(NODE));
        Await.until(WAIT, "both processes running", () -> processes("sleep 471100").size() == 2);

        long started = System.nanoTime();
        deleteAndExpectNoProcessLeft("stubborn", "sleep 471100");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("SIGTERM ignored: killed once the grace period is over")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aPodAttachedToWithRunGetsItsStdin() throws Exception {
        Kubectl.Result result = kubectl.runWith(Kubectl.DISPATCHER, "answer\n".getBytes(StandardCharsets.UTF_8), "run",
                "-i", "--rm", "--restart=Never", "asker", "--image=busybox", "--overrides", nodeOverride(), "--", "sh", "-c",
                "read x; echo got $x");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("got answer");
    }

    @Test
    void whatCannotRunSaysWhyInPlainWords() throws Exception {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: typo}
                spec:
                  nodeName: %s
                  restartPolicy: Never
                  containers:
                  - {name: typo, image: busybox, command: [/no/such/binary]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: nginx}
                spec:
                  nodeName: %s
                  containers:
                  - {name: nginx, image: nginx:1.27}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: hosted}
                spec:
                  nodeName: %s
                  restartPolicy: Never
                  containers:
                  - {name: hosted, image: "python:3", command: [sh, -c, "echo a command of any image runs on the host"]}
                """.formatted(NODE, NODE, NODE));

        // restartPolicy Never: the failed start is the container's end, as upstream reports it.
        Await.until(WAIT, "typo's attempt over", () -> status("typo").filter(s -> s.getState().getTerminated() != null)
                .isPresent());
        var terminated = status("typo").orElseThrow().getState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("StartError");
        assertThat(terminated.getExitCode()).isEqualTo(128);
        assertThat(terminated.getMessage()).contains("exec: \"/no/such/binary\": stat /no/such/binary: no such file or directory");

        Await.until(WAIT, "nginx cannot be created", () -> status("nginx").filter(s -> s.getState().getWaiting() != null
                && "CreateContainerError".equals(s.getState().getWaiting().getReason())).isPresent());
        assertThat(status("nginx").orElseThrow().getState().getWaiting().getMessage())
                .startsWith("the process runtime runs commands on this node, not images: image \"docker.io/library/nginx:1.27\"");

        Await.until(WAIT, "hosted done", () -> "Succeeded".equals(client.pods().withName("hosted").get().getStatus().getPhase()));
        assertThat(run("logs", "hosted").out()).isEqualTo("a command of any image runs on the host\n");
        run("delete", "pod", "typo", "nginx", "hosted");
    }

    @Test
    void theNodeSaysItsPodsRunAsHostProcesses() throws Exception {
        Node n = client.nodes().withName(NODE).get();

        assertThat(n.getMetadata().getAnnotations()).containsKey(NodeAgent.RUNTIME_NOTICE);
        assertThat(n.getStatus().getNodeInfo().getContainerRuntimeVersion()).isEqualTo("process://test");
        assertThat(run("describe", "node", NODE).out()).contains("Container Runtime Version:  process://test")
                .contains("Containers run as host processes on the node");
    }

    private static Kubectl.Result run(String... args) throws IOException, InterruptedException {
        Kubectl.Result result = kubectl.run(args);
        assertThat(result.exitCode()).as("kubectl " + String.join(" ", args) + ": " + result.err()).isZero();
        return result;
    }

    private static void apply(String manifest) throws IOException, InterruptedException {
        Kubectl.Result result = kubectl.runWith(Kubectl.DISPATCHER, manifest.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-");
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    /** kubectl run's pods are not scheduled here (no scheduler): they are put on the node. */
    private static String nodeOverride() {
        return "{\"spec\":{\"nodeName\":\"" + NODE + "\",\"terminationGracePeriodSeconds\":1}}";
    }

    private static void awaitReady(String pod) {
        Await.until(WAIT, pod + " ready", () -> status(pod).map(s -> Boolean.TRUE.equals(s.getReady())).orElse(false));
    }

    private static Optional<ContainerStatus> status(String pod) {
        Pod p = client.pods().withName(pod).get();
        return p == null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                ? Optional.empty() : p.getStatus().getContainerStatuses().stream().findFirst();
    }

    /** Deletes the pod as kubectl does (waiting for it to go) and checks that no process of it is left. */
    private static void deleteAndExpectNoProcessLeft(String pod, String commandLineMark) throws Exception {
        assertThat(processes(commandLineMark)).isNotEmpty();
        run("delete", "pod", pod);
        Await.until(Duration.ofSeconds(60), "no process of " + pod + " left", () -> processes(commandLineMark).isEmpty());
    }

    /** The live processes on this machine whose command line holds {@code mark} (one left by a pod need not be our child any more). */
    private static List<ProcessHandle> processes(String mark) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive).filter(p -> commandLine(p.pid()).contains(mark))
                    .filter(p -> !zombie(p.pid())).toList();
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private static String get(int port) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
