package dev.konductor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * exec, attach, cp and port-forward as users run them: the real kubectl (1.32 through the
 * dispatcher: WebSocket v5 and SPDY-in-WebSocket; 1.28: SPDY only; 1.33) and the Python client
 * (WebSocket v4) against a real node (containerd, runc, CNI) behind a real API server. One node
 * for the class; its pod CIDR, bridge and directory are this test's alone.
 */
class StreamingEndToEndTest {

    private static final String NODE = "ks-stream";
    private static final String POD_CIDR = "10.244.180.0/24";
    private static final String BRIDGE = "ks-stream0";

    private static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: shell}
            spec:
              nodeName: ks-stream
              terminationGracePeriodSeconds: 1
              containers:
              - {name: main, image: busybox, command: [sleep, "3600"], env: [{name: WHO, value: main}]}
              - {name: side, image: busybox, command: [sleep, "3600"], env: [{name: WHO, value: side}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, labels: {app: web}}
            spec:
              nodeName: ks-stream
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: busybox
                command: [sh, -c, "mkdir /www && echo hello > /www/index.html && head -c 2000000 /dev/urandom > /www/big && exec httpd -f -p 80 -h /www"]
                ports: [{name: http, containerPort: 80}]
              - {name: echo, image: busybox, command: [nc, -ll, -p, "9000", -e, cat]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 8080, targetPort: http}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: busybox}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: reader}
            spec:
              nodeName: ks-stream
              restartPolicy: Never
              containers:
              - {name: reader, image: busybox, stdin: true, stdinOnce: true,
                 command: [sh, -c, "while read line; do echo \\"got $line\\"; done; echo bye"]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: terminal}
            spec:
              nodeName: ks-stream
              restartPolicy: Never
              containers: [{name: terminal, image: busybox, command: [sh], stdin: true, tty: true}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: done}
            spec:
              nodeName: ks-stream
              restartPolicy: Never
              containers: [{name: done, image: busybox, command: ["true"]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: pulling}
            spec:
              nodeName: ks-stream
              containers: [{name: app, image: konductor.local/missing:1}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: unbound}
            spec:
              containers: [{name: app, image: busybox}]
            """;

    private static CriTestNode node;
    private static Kubectl kubectl;

    @BeforeAll
    static void startNode() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Kubectl.DISPATCHER)), "skipped: kubectl is not installed");
        node = CriTestNode.start("ks-stream-", NODE, POD_CIDR, BRIDGE);
        kubectl = new Kubectl(node);
        Kubectl.Result created = kubectl.runWith(Kubectl.DISPATCHER, PODS.getBytes(StandardCharsets.UTF_8),
                "create", "-f", "-");
        assertThat(created.exitCode()).as(created.err()).isZero();
        for (String pod : List.of("shell", "web", "reader", "terminal")) {
            Await.until(Duration.ofSeconds(90), "pod " + pod + " Ready", () -> ready(pod));
        }
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void execKeepsStdoutAndStderrApartAndPassesTheExitCodeOn() throws Exception {
        Kubectl.Result result = kubectl.run("exec", "shell", "--", "sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).isEqualTo("out\n");
        assertThat(result.err()).contains("Defaulted container \"main\" out of: main, side")
                .contains("err\n").contains("command terminated with exit code 3");
    }

    @Test
    void execWithStdinSeesItsEndInTheContainerAsked() throws Exception {
        Kubectl.Result result = kubectl.runWith(Kubectl.DISPATCHER, "hi\n".getBytes(StandardCharsets.UTF_8),
                "exec", "-i", "shell", "-c", "side", "--", "sh", "-c", "cat; echo \"$WHO\"");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).as("cat ended at stdin's end, in the side container").isEqualTo("hi\nside\n");
    }

    @Test
    void cpCopiesIntoThePodAndBackOut() throws Exception {
        byte[] content = new byte[1_500_000];
        new Random(42).nextBytes(content);
        Path local = node.dir().resolve("upload.bin");
        Files.write(local, content);

        Kubectl.Result up = kubectl.run("cp", local.toString(), "shell:/tmp/upload.bin", "-c", "main");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(kubectl.run("exec", "shell", "-c", "main", "--", "md5sum", "/tmp/upload.bin").out())
                .startsWith(md5(content));
        Path back = node.dir().resolve("download.bin");
        Kubectl.Result down = kubectl.run("cp", "shell:/tmp/upload.bin", back.toString(), "-c", "main");
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(content);
    }

    @Test
    void portForwardCarriesConcurrentConnectionsBothWaysAndStopsCleanly() throws Exception {
        String big = kubectl.run("exec", "web", "-c", "web", "--", "md5sum", "/www/big").out().split(" ")[0];
        try (Kubectl.PortForward forward = kubectl.portForward(Kubectl.DISPATCHER, "pod/web", 80, 9000)) {
            byte[] upstream = new byte[1_000_000];
            new Random(7).nextBytes(upstream);
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> echo(forward.localPort(1), upstream));
            CompletableFuture<String> download = CompletableFuture.supplyAsync(() -> md5(body(httpGet(forward.localPort(0), "/big"))));

            assertThat(echoed.get()).as("1 MB up and back through the echo container").isEqualTo(upstream);
            assertThat(download.get()).as("2 MB down from httpd at the same time").isEqualTo(big);
            assertThat(new String(body(httpGet(forward.localPort(0), "/")), StandardCharsets.UTF_8)).isEqualTo("hello\n");
            assertThat(forward.alive()).as("port-forward outlives its connections").isTrue();
            assertThat(forward.stop()).as("and stops when interrupted").isTrue();
        }
        for (String target : List.of("svc/web", "deploy/web")) {
            int remote = target.startsWith("svc") ? 8080 : 80;
            try (Kubectl.PortForward forward = kubectl.portForward(Kubectl.DISPATCHER, target, remote)) {
                assertThat(new String(body(httpGet(forward.localPort(0), "/")), StandardCharsets.UTF_8))
                        .as(target).isEqualTo("hello\n");
            }
        }
    }

    @Test
    void olderAndNewerKubectlsExecAndForwardToo() throws Exception {
        for (String minor : List.of("1.28", "1.33")) {
            String binary = Kubectl.version(minor);
            if (!Files.isExecutable(Path.of(binary))) {
                continue;
            }
            Kubectl.Result exec = kubectl.runWith(binary, ("from " + minor + "\n").getBytes(StandardCharsets.UTF_8),
                    "exec", "-i", "shell", "-c", "main", "--", "sh", "-c", "cat; exit 4");
            assertThat(exec.exitCode()).as(minor + ": " + exec.err()).isEqualTo(4);
            assertThat(exec.out()).isEqualTo("from " + minor + "\n");
            assertThat(exec.err()).contains("command terminated with exit code 4");
            try (Kubectl.PortForward forward = kubectl.portForward(binary, "pod/web", 80)) {
                assertThat(new String(body(httpGet(forward.localPort(0), "/")), StandardCharsets.UTF_8))
                        .as(minor + " port-forward").isEqualTo("hello\n");
            }
        }
    }

    @Test
    void attachJoinsAContainersStdinAndOutput() throws Exception {
        Kubectl.Result attach = kubectl.runWith(Kubectl.DISPATCHER, "one\ntwo\n".getBytes(StandardCharsets.UTF_8),
                "attach", "-i", "reader");

        assertThat(attach.exitCode()).as(attach.err()).isZero();
        assertThat(attach.out()).isEqualTo("got one\ngot two\nbye\n");
    }

    @Test
    void attachToATerminalRunsInARealTerminal() throws Exception {
        // script(1) gives kubectl the terminal -t needs; the resize of a live terminal is shown by hand (tmux)
        Kubectl.Result attach = kubectl.runWith("/usr/bin/script",
                "[ -t 0 ] && echo on-a-tty-$((40+2)); exit\n".getBytes(StandardCharsets.UTF_8),
                "-qec", Kubectl.DISPATCHER + " attach -it terminal", "/dev/null");

        assertThat(attach.out()).as("the shell in the pod runs on a terminal and answers").contains("on-a-tty-42");
        Await.until(Duration.ofSeconds(60), "the attached shell exited", () -> "Succeeded".equals(phase("terminal")));
    }

    @Test
    void thePythonClientExecsAndForwardsOverWebSocketV4() throws Exception {
        assumeTrue(new ProcessBuilder("/usr/bin/python3", "-c", "import kubernetes").start().waitFor() == 0,
                "skipped: python3-kubernetes is not installed");
        Path script = node.dir().resolve("client.py");
        Files.writeString(script, """
                import sys
                from kubernetes import client, config
                from kubernetes.stream import stream, portforward
                config.load_kube_config(config_file=sys.argv[1])
                api = client.CoreV1Api()
                resp = stream(api.connect_get_namespaced_pod_exec, 'shell', 'default', container='main',
                              command=['sh', '-c', 'echo py-out; echo py-err >&2; exit 5'],
                              stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
                resp.run_forever(timeout=30)
                print('exec out=%r err=%r rc=%s' % (resp.read_stdout(), resp.read_stderr(), resp.returncode))
                pf = portforward(api.connect_get_namespaced_pod_portforward, 'web', 'default', ports='80')
                sock = pf.socket(80)
                sock.setblocking(True)
                sock.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')
                data = b''
                while True:
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                print('forward body=%r' % data.split(b'\\r\\n\\r\\n', 1)[-1])
                """);
        Kubectl.Result python = kubectl.runWith("/usr/bin/python3", null, script.toString(), node.kubeconfig().toString());

        assertThat(python.exitCode()).as(python.err()).isZero();
        assertThat(python.out()).contains("exec out='py-out\\n' err='py-err\\n' rc=5")
                .contains("forward body=b'hello\\n'");
    }

    @Test
    void refusesAsUpstreamDoesAndNeverHangs() throws Exception {
        Await.until(Duration.ofSeconds(60), "pod done Succeeded", () -> "Succeeded".equals(phase("done")));
        assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods/done/exec?command=ls&stdout=true").err())
                .as("the server's own check, for clients that do not make kubectl's")
                .contains("Error from server (BadRequest): cannot exec into a container in a completed pod; "
                        + "current phase is Succeeded");
        assertThat(kubectl.run("exec", "shell", "-c", "nope", "--", "ls").err())
                .contains("Error from server (BadRequest): container nope is not valid for pod shell");
        assertThat(kubectl.run("exec", "unbound", "--", "ls").err())
                .contains("Error from server (BadRequest): pod unbound does not have a host assigned");
        Await.until(Duration.ofSeconds(60), "pod pulling has no container yet", () -> "Pending".equals(phase("pulling")));
        assertThat(kubectl.run("exec", "pulling", "--", "ls").err())
                .contains("unable to upgrade connection: container not found (\"app\")");
        assertThat(kubectl.runWith(Kubectl.version("1.28"), null, "exec", "pulling", "--", "ls").err())
                .isEqualTo("error: unable to upgrade connection: container not found (\"app\")\n");

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        kubectl.runWith(Kubectl.DISPATCHER, ghost().getBytes(StandardCharsets.UTF_8), "create", "-f", "-");
        kubectl.run("patch", "node", "ghost", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + closed + "}}}}");
        long started = System.nanoTime();
        Kubectl.Result haunted = kubectl.run("exec", "haunted", "--", "ls");
        assertThat(haunted.exitCode()).isEqualTo(1);
        assertThat(haunted.err()).contains("error dialing backend: dial tcp 127.0.0.1:" + closed);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a clear answer, not a hang")
                .isLessThan(Duration.ofSeconds(30));
    }

    private static String ghost() {
        return """
                apiVersion: v1
                kind: Node
                metadata: {name: ghost}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: haunted}
                spec:
                  nodeName: ghost
                  containers: [{name: app, image: busybox}]
                """;
    }

    private static boolean ready(String name) {
        Pod pod = node.client().pods().inNamespace("default").withName(name).get();
        return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static String phase(String name) {
        Pod pod = node.client().pods().inNamespace("default").withName(name).get();
        return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    /** Writes {@code data} to an echo server and reads as much back, the two directions at once. */
    private static byte[] echo(int port, byte[] data) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(data);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] back = socket.getInputStream().readNBytes(data.length);
            writer.join();
            return back;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A whole HTTP/1.0 response (httpd closes the connection at its end). */
    private static byte[] httpGet(int port, String path) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] body(byte[] response) {
        for (int i = 0; i + 3 < response.length; i++) {
            if (response[i] == '\r' && response[i + 1] == '\n' && response[i + 2] == '\r' && response[i + 3] == '\n') {
                return Arrays.copyOfRange(response, i + 4, response.length);
            }
        }
        throw new AssertionError("no HTTP head in " + new String(response, StandardCharsets.ISO_8859_1));
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
