package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.kubelet.containerd.ContainerdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code konductor server --runtime cri} as a user tries it: a Deployment exposed as a Service
 * answers on its ClusterIP from the host, on its NodePort at the node's address, and by name
 * from a pod through the cluster DNS; a LoadBalancer Service gets the node's address. Needs root,
 * containerd, runc, the CNI plugins and a static busybox; skipped otherwise.
 */
@ResourceLock(KonductorCluster.HOST_NETWORK_NODE)
class SingleNodeNetworkTest {

    @Test
    void servicesAnswerFromTheHostAndByNameFromPods() throws Exception {
        assumeTrue(ContainerdProcess.runningAsRoot(), "skipped: the cri runtime needs root");
        assumeTrue(ContainerdProcess.findBinary().isPresent() && ContainerdProcess.findRunc().isPresent()
                && Files.isExecutable(Path.of("/usr/lib/cni/bridge")) && Files.isExecutable(Path.of("/bin/busybox")),
                "skipped: needs containerd, runc, containernetworking-plugins and busybox-static");
        try (KonductorCluster cluster = KonductorCluster.start("--runtime", "cri", "--kubelet-port", "0",
                "--cluster-cidr", "10.247.128.0/18", "--service-cidr", "10.97.0.0/17")) {
            cluster.eventually(Duration.ofSeconds(180), r -> r.out().equals("True"),
                    "get", "nodes", "-o", "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}");
            assertThat(cluster.kubectl("get", "nodes", "-o", "jsonpath={.items[0].spec.podCIDR}").out())
                    .isEqualTo("10.247.128.0/24");
            assertThat(cluster.kubectl("create", "deploy", "web", "--image=busybox", "--replicas=3", "--",
                    "httpd", "-f", "-p", "8080").exitCode()).isZero();
            assertThat(cluster.kubectl("expose", "deploy", "web", "--port", "80", "--target-port", "8080",
                    "--type", "NodePort").exitCode()).isZero();
            cluster.eventually(Duration.ofSeconds(180), r -> r.out().equals("3"),
                    "get", "deploy", "web", "-o", "jsonpath={.status.readyReplicas}");
            String clusterIp = cluster.kubectl("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").out();
            String nodePort = cluster.kubectl("get", "svc", "web", "-o", "jsonpath={.spec.ports[0].nodePort}").out();
            String nodeIp = cluster.kubectl("get", "nodes", "-o",
                    "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")].address}").out();

            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                answered.add(hostname("http://" + clusterIp + "/etc/hostname"));
            }
            assertThat(answered).as("pods answering on the ClusterIP").hasSizeGreaterThan(1).allMatch(n -> n.startsWith("web-"));
            assertThat(hostname("http://" + nodeIp + ":" + nodePort + "/etc/hostname")).startsWith("web-");

            assertThat(cluster.kubectlWithInput(CLIENT, "apply", "-f", "-").exitCode()).isZero();
            cluster.eventually(Duration.ofSeconds(180), r -> r.out().equals("Succeeded"),
                    "get", "pod", "client", "-o", "jsonpath={.status.phase}");
            String log = cluster.kubectl("logs", "client").out();
            assertThat(log).contains("nameserver 10.97.0.10", "search default.svc.cluster.local svc.cluster.local cluster.local");
            assertThat(log).containsPattern("short-name: web-").containsPattern("dns-name: web-");

            assertThat(cluster.kubectl("expose", "deploy", "web", "--name", "web-lb", "--port", "8081",
                    "--target-port", "8080", "--type", "LoadBalancer").exitCode()).isZero();
            cluster.eventually(Duration.ofSeconds(60), r -> r.out().equals(nodeIp),
                    "get", "svc", "web-lb", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
        }
    }

    /** The body of a GET, trimmed; "" when nothing answered within a few seconds. */
    private static String hostname(String url) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .proxy(java.net.ProxySelector.of(null)).build();
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body().strip();
                }
            } catch (java.io.IOException notYet) {
                // the proxy's rules may trail the endpoints by a sync
            }
            Thread.sleep(500);
        }
        return "";
    }

    /** Asks the Service by name, as users do (busybox nc: its wget crashes on this machine's kernel). */
    private static final String CLIENT = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: client
            spec:
              restartPolicy: Never
              containers:
              - name: client
                image: busybox
                command:
                - sh
                - -c
                - |
                  cat /etc/resolv.conf
                  ask() { for i in $(seq 1 30); do
                      out=$(printf 'GET /etc/hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 3 $2 80 | tail -1)
                      [ -n "$out" ] && break; sleep 1; done; echo "$1: $out"; }
                  ask short-name web
                  ask dns-name web.default.svc.cluster.local
            """;
}
