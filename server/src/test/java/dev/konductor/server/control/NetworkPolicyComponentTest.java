package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.proxy.networkpolicy.NetworkPolicySettings;
import dev.konductor.proxy.nftables.CommandRunner;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.store.Stores;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enforcer beside a real control plane, through the admin kubeconfig, with {@code nft} and
 * {@code sysctl} recorded instead of run (no root needed): a default-deny policy reaches the
 * node's table, and stopping removes it.
 */
class NetworkPolicyComponentTest {

    @TempDir
    Path dir;

    private final List<String> scripts = new CopyOnWriteArrayList<>();
    private final CommandRunner recorder = (command, stdin) -> {
        if (command.getFirst().equals("nft")) {
            scripts.add(stdin);
        }
        return new CommandRunner.Result(0, command.getFirst().equals("sysctl") ? "1\n" : "", "");
    };

    @Test
    void aPolicyOfTheServerItRunsWithReachesTheNodesTable() throws Exception {
        ServerOptions options = new ServerOptions(DataDir.create(dir), Optional.of(InetAddress.getLoopbackAddress()),
                0, "sqlite", NodeRuntime.NONE, Cidr.parse("10.96.0.0/12"), Optional.empty(), Optional.empty());
        try (ControlPlane controlPlane = new ControlPlane(options, HostAddresses.discover(), Stores::open, Clock.systemUTC())) {
            assertThat(controlPlane.start()).isTrue();
            NetworkPolicyComponent component = new NetworkPolicyComponent(options.dataDir().kubeconfig(),
                    NetworkPolicySettings.defaults("node-1"), recorder, Set.of(ApiServerComponent.NAME));
            try (KubernetesClient admin = LocalClients.fromKubeconfig(options.dataDir().kubeconfig())) {
                component.start(cause -> { });
                waitFor(component::ready);
                // pods need their namespace's default account, which the serviceaccount controller makes
                waitFor(() -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null);

                admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                        .withNewSpec().withNodeName("node-1").addNewContainer().withName("web").withImage("busybox")
                        .endContainer().endSpec().build()).create();
                admin.pods().inNamespace("default").withName("web").editStatus(pod -> new PodBuilder(pod).editOrNewStatus()
                        .withPhase("Running").withPodIP("10.244.0.5").addNewPodIP().withIp("10.244.0.5").endPodIP()
                        .endStatus().build());
                admin.network().v1().networkPolicies().inNamespace("default").resource(new NetworkPolicyBuilder()
                        .withNewMetadata().withName("deny").endMetadata().withNewSpec().withNewPodSelector()
                        .endPodSelector().endSpec().build()).create();

                waitFor(() -> scripts.stream().anyMatch(script -> script.contains("10.244.0.5 comment \"default/web\"")));
            } finally {
                component.stop();
            }
            assertThat(scripts.getLast()).isEqualTo("add table inet konductor-netpol\ndelete table inet konductor-netpol\n");
        }
    }

    /** Waits for an outcome, generously: informers, API and the test share a loaded 2-core machine. */
    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 90 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
