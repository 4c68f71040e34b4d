package dev.konductor.kubelet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.kubelet.process.ProcessRuntime;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A node whose kubelet runs the process runtime, for end-to-end tests: a LocalApiServer, the
 * kubelet and its containers as host processes, all under one temporary directory, the node's
 * address loopback (so every pod's IP is 127.0.0.1). {@link #start} skips the test where the
 * process runtime cannot run; {@link #close} stops every container process and removes the directory.
 */
final class ProcessTestNode implements AutoCloseable {

    final Path dir;
    final String nodeName;
    private LocalApiServer api;
    private ProcessRuntime runtime;
    private Kubelet kubelet;

    private ProcessTestNode(Path dir, String nodeName) {
        this.dir = dir;
        this.nodeName = nodeName;
    }

    static ProcessTestNode start(String dirPrefix, String nodeName) throws Exception {
        assumeTrue(ProcessRuntime.unavailable().isEmpty(), () -> "skipped: the process runtime "
                + ProcessRuntime.unavailable().get());
        ProcessTestNode node = new ProcessTestNode(Files.createTempDirectory(Path.of("/tmp"), dirPrefix), nodeName);
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            node.runtime = ProcessRuntime.open(node.dir.resolve("process"), loopback, "test", Clock.systemUTC());
            node.api = LocalApiServer.start();
            node.kubelet = new Kubelet(node.api.client(), node.runtime, new KubeletSettings(nodeName, Optional.of("10.244.0.0/24"),
                    List.of(loopback), loopback, 0, node.dir.resolve("kubelet"),
                    ServerCertificates.of(URI.create(node.api.url())), "v1.32.0-konductor", KubeletSettings.ClusterDns.none()), Clock.systemUTC());
            node.kubelet.start();
            node.api.writeKubeconfig(node.kubeconfig());
            return node;
        } catch (Exception | AssertionError e) {
            node.close();
            throw e;
        }
    }

    Path kubeconfig() {
        return dir.resolve("kubeconfig.yaml");
    }

    KubernetesClient client() {
        return api.client();
    }

    Kubectl kubectl() {
        return new Kubectl(dir, kubeconfig());
    }

    @Override
    public void close() throws IOException {
        List<Throwable> failures = new ArrayList<>();
        AutoCloseable volumes = kubelet == null ? null : kubelet::unmountVolumes;
        for (AutoCloseable part : new AutoCloseable[] {kubelet, volumes, runtime, api}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception | AssertionError e) {
                    failures.add(e);
                }
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("the node did not stop cleanly");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }
}
