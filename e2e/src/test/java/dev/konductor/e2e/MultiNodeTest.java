package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.kubelet.containerd.ContainerdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two agents joining a server, each in a network namespace standing in for a machine (entered
 * with {@code nsenter --net}), each with its own containerd: both nodes Ready, a pod on one node
 * reaching a pod on the other by pod IP, by ClusterIP and by DNS name (host-gw routes, service
 * proxy, cluster DNS), then one agent stopped: it leaves nothing behind in its namespace, its node
 * goes NotReady and its pods come back on the other node after their toleration. Needs root,
 * containerd, runc, the CNI plugins and a static busybox; skipped otherwise. Namespaces, veths,
 * bridge and processes are removed afterwards, also on failure.
 */
class MultiNodeTest {

    private static final String SUBNET = "10.247.250";
    private static final String CLUSTER_CIDR = "10.247.0.0/17";
    private static final String SERVICE_CIDR = "10.97.128.0/17";

    private final Map<String, Process> agents = new ConcurrentHashMap<>();

    @Test
    void podsReachEachOtherAcrossNodesAndMoveWhenANodeStops() throws Exception {
        assumeTrue(ContainerdProcess.runningAsRoot(), "skipped: agents need root");
        assumeTrue(ContainerdProcess.findBinary().isPresent() && ContainerdProcess.findRunc().isPresent()
                && Files.isExecutable(Path.of("/usr/lib/cni/bridge")) && Files.isExecutable(Path.of("/bin/busybox")),
                "skipped: needs containerd, runc, containernetworking-plugins and busybox-static");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "ka-e2e-multi");
        try (NetnsHosts hosts = new NetnsHosts(SUBNET)) {
            String ipA = hosts.add("ka-n1", 11);
            String ipB = hosts.add("ka-n2", 12);
            try (KonductorCluster cluster = KonductorCluster.start("--runtime", "none", "--advertise-address",
                    hosts.gatewayAddress(), "--cluster-cidr", CLUSTER_CIDR, "--service-cidr", SERVICE_CIDR)) {
                try {
                    exercise(cluster, hosts, dir, ipA, ipB);
                } finally {
                    stopAgents(dir);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void exercise(KonductorCluster cluster, NetnsHosts hosts, Path dir, String ipA, String ipB) throws Exception {
        String server = "https://" + hosts.gatewayAddress() + ":" + cluster.port;
        Path token = cluster.dir.resolve("data").resolve("node-token");
        assertThat(Files.readString(token)).startsWith("K10");
        startAgent("ka-n1", ipA, server, token, dir);
        startAgent("ka-n2", ipB, server, token, dir);
        for (String node : List.of("ka-n1", "ka-n2")) {
            cluster.eventually(Duration.ofSeconds(300), r -> r.out().equals("True"),
                    "get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        }
        assertThat(cluster.kubectl("get", "nodes", "-o", "jsonpath={.items[*].spec.podCIDR}").out())
                .matches("10\\.247\\.\\d+\\.0/24 10\\.247\\.\\d+\\.0/24");

        // a Service whose only endpoint is on node B: node A is cordoned while it is scheduled
        assertThat(cluster.kubectl("cordon", "ka-n1").exitCode()).isZero();
        assertThat(cluster.kubectlWithInput(WEB, "apply", "-f", "-").exitCode()).isZero();
        String webPod = cluster.eventually(Duration.ofSeconds(180), r -> r.out().contains("Running ka-n2"),
                "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name} {.items[0].status.phase} {.items[0].spec.nodeName}")
                .out().split(" ")[0];
        String webIp = cluster.kubectl("get", "pod", webPod, "-o", "jsonpath={.status.podIP}").out();
        String clusterIp = cluster.kubectl("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").out();
        assertThat(cluster.kubectl("uncordon", "ka-n1").exitCode()).isZero();

        assertThat(cluster.kubectlWithInput(client(webIp, clusterIp), "apply", "-f", "-").exitCode()).isZero();
        cluster.eventually(Duration.ofSeconds(180), r -> r.out().contains("Succeeded"),
                "get", "pod", "client", "-o", "jsonpath={.status.phase}");
        String log = cluster.kubectl("logs", "client").out();
        assertThat(log).contains("pod-ip: " + webPod, "cluster-ip: " + webPod, "dns-name: " + webPod,
                "short-name: " + webPod);

        // node B goes away: it leaves nothing on its host, goes NotReady, and its pod moves to A
        Process agentB = agents.remove("ka-n2");
        agentB.destroy();
        assertThat(agentB.waitFor(60, TimeUnit.SECONDS)).as("agent ka-n2 stopped on SIGTERM").isTrue();
        assertThat(hosts.exec("ka-n2", "ip", "-br", "link").lines().map(l -> l.split("\\s+")[0].split("@")[0]))
                .containsExactlyInAnyOrder("lo", "ka-n2e");
        assertThat(hosts.exec("ka-n2", "nft", "list", "tables")).isBlank();
        assertThat(hosts.exec("ka-n2", "ip", "route", "show", "proto", "74")).isBlank();
        assertThat(containerdLeft(dir.resolve("ka-n2"))).isEmpty();
        cluster.eventually(Duration.ofSeconds(120), r -> !r.out().equals("True"),
                "get", "node", "ka-n2", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        cluster.eventually(Duration.ofSeconds(120), r -> r.out().contains("Running ka-n1"),
                "get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.status.phase} {.spec.nodeName}{\"\\n\"}{end}");
    }

    private void startAgent(String name, String ip, String server, Path token, Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path data = dir.resolve(name);
        // nsenter --net, not ip netns exec: that also remounts /sys, hiding the cgroup hierarchy runc needs
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + name, java, "-cp",
                System.getProperty("java.class.path"), "dev.konductor.server.Main", "agent", "--server", server,
                "--token-file", token.toString(), "--data-dir", data.toString(), "--node-name", name,
                "--node-ip", ip, "--kubelet-port", "19451"));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "agent-" + name + ".log").toFile()).start();
        agents.put(name, agent);
    }

    /** SIGTERM, then SIGKILL; then any containerd the agents left, by the PID in its file. */
    private void stopAgents(Path dir) throws Exception {
        for (Process agent : agents.values()) {
            agent.destroy();
        }
        for (Process agent : agents.values()) {
            if (!agent.waitFor(60, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (String name : List.of("ka-n1", "ka-n2")) {
            containerdLeft(dir.resolve(name)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static Optional<ProcessHandle> containerdLeft(Path agentDir) throws IOException {
        Path pidFile = agentDir.resolve("containerd").resolve("containerd.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).filter(ProcessHandle::isAlive);
    }

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  terminationGracePeriodSeconds: 1
                  tolerations:
                  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
                  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
                  containers:
                  - name: web
                    image: busybox
                    command: [httpd, -f, -p, "8080"]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports:
              - {port: 80, targetPort: 8080}
            """;

    /** A pod on node A asking the web pod for its host name four ways (busybox nc: its wget crashes here). */
    private static String client(String webIp, String clusterIp) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: client
                spec:
                  nodeName: ka-n1
                  restartPolicy: Never
                  containers:
                  - name: client
                    image: busybox
                    command:
                    - sh
                    - -c
                    - |
                      ask() { for i in $(seq 1 30); do
                          out=$(printf 'GET /etc/hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 3 $2 $3 | tail -1)
                          [ -n "$out" ] && break; sleep 1; done; echo "$1: $out"; }
                      ask pod-ip %s 8080
                      ask cluster-ip %s 80
                      ask dns-name web.default.svc.cluster.local 80
                      ask short-name web 80
                """.formatted(webIp, clusterIp);
    }
}
