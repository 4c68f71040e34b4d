package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.kubelet.containerd.ContainerdProcess;
import dev.konductor.kubelet.process.ProcessRuntime;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4's process runtime for a user without root: {@code konductor server} started as
 * {@code nobody} with the default {@code --runtime auto} picks the process runtime by itself, and
 * the real kubectl gets real pods running real commands as that user: a web server on a node
 * port, exec with its exit code, logs, CrashLoopBackOff, {@code kubectl top}, and a deletion that
 * leaves nothing running. Needs root to become {@code nobody} (setpriv) and the process runtime's
 * few tools; skipped otherwise.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class ProcessNodeTest {

    private static final int NOBODY = 65534;
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static KonductorCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(ContainerdProcess.runningAsRoot(), "skipped: becoming nobody needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: no setpriv (util-linux)");
        assumeTrue(ProcessRuntime.unavailable().isEmpty(), () -> "skipped: the process runtime "
                + ProcessRuntime.unavailable().get());
        cluster = KonductorCluster.startAsUser(Path.of("/tmp"), "kp-e2e-nobody", NOBODY, "--kubelet-port", "0");
        cluster.eventually(WAIT, r -> r.out().contains(" Ready "), "get", "nodes", "--no-headers");
        // pods run as their namespace's default account, which the controller manager makes
        cluster.eventually(WAIT, r -> r.exitCode() == 0, "get", "serviceaccount", "default");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void withoutRootAutoRunsPodsAsHostProcessesOfTheUser() throws Exception {
        assertThat(cluster.serverLog()).contains("runtime=auto chose process: real containers need root");
        assertThat(kubectl("get", "nodes", "-o", "wide").out()).contains("process://");
        int port = freePort();

        kubectl("run", "web", "--image=busybox", "--", "httpd", "-f", "-p", Integer.toString(port));
        kubectl("wait", "--for=condition=Ready", "pod/web", "--timeout=120s");
        kubectl("exec", "web", "--", "sh", "-c", "echo served by $(id -u) > index.html");

        assertThat(get(port)).isEqualTo("served by " + NOBODY + "\n");
        KonductorCluster.Result exit = cluster.kubectl("exec", "web", "--", "sh", "-c", "exit 3");
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(kubectl("describe", "pod", "web").out()).contains("Containers run as host processes on the node");
        List<Long> web = processes("httpd -f -p " + port);
        assertThat(web).isNotEmpty().allSatisfy(pid -> assertThat(uid(pid)).isEqualTo(NOBODY));

        kubectl("delete", "pod", "web");
        awaitNone("httpd -f -p " + port);
    }

    @Test
    void aFailingCommandGoesIntoCrashLoopBackOffWithItsLogsKept() throws Exception {
        kubectl("run", "crasher", "--image=busybox", "--", "sh", "-c", "echo giving up; exit 1");

        cluster.eventually(WAIT, r -> r.out().contains("CrashLoopBackOff"), "get", "pod", "crasher", "--no-headers");
        assertThat(kubectl("logs", "crasher", "--previous").out()).isEqualTo("giving up\n");
        kubectl("delete", "pod", "crasher");
    }

    @Test
    void topShowsWhatAPodsProcessesUse() throws Exception {
        kubectl("run", "burner", "--image=busybox", "--", "sh", "-c", "while :; do :; done");

        KonductorCluster.Result top = cluster.eventually(WAIT, r -> r.exitCode() == 0 && r.out().startsWith("burner"),
                "top", "pod", "burner", "--no-headers");
        assertThat(Integer.parseInt(top.out().split("\\s+")[1].replace("m", ""))).as(top.out()).isPositive();
        kubectl("delete", "pod", "burner");
    }

    private static KonductorCluster.Result kubectl(String... args) throws IOException, InterruptedException {
        KonductorCluster.Result result = cluster.kubectl(args);
        assertThat(result.exitCode()).as("kubectl " + String.join(" ", args) + ": " + result.all()).isZero();
        return result;
    }

    /** Waits a little for the processes of a deleted pod to be reaped; fails if any is still running. */
    private static void awaitNone(String mark) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!processes(mark).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(processes(mark)).as("processes left running: " + mark).isEmpty();
    }

    /** Live processes on this machine whose command line holds {@code mark}. */
    private static List<Long> processes(String mark) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.map(ProcessHandle::pid).filter(pid -> commandLine(pid).contains(mark) && !zombie(pid)).toList();
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
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

    private static int uid(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> Integer.parseInt(l.split("\\s+")[1])).findFirst().orElseThrow();
    }

    private static String get(int port) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
