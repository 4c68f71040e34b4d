package dev.konductor.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.proxy.ProxyMode;
import dev.konductor.server.control.NetworkPolicyComponent;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.supervisor.Component;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node that runs containers is made of, for the server's own node and agents alike. */
class NodeComponentsTest {

    @TempDir
    Path dir;

    @Test
    void everyNodeEnforcesNetworkPoliciesBesideItsProxyOnceItReachesTheCluster() {
        assumeTrue(ProxyMode.detect() == ProxyMode.NFTABLES, "skipped: a node that runs containers needs root and nft");
        NodeSpec node = new NodeSpec("node-1", InetAddress.ofLiteral("192.0.2.10"), 10250, dir,
                Cidr.parse("10.96.0.0/12"), Cidr.parse("10.244.0.0/16"), InetAddress.ofLiteral("10.96.0.10"),
                new IngressPorts(8081, -1));

        List<Component> components = NodeComponents.cri(node, new JoinedCluster(dir.resolve("kubeconfig")),
                Clock.systemUTC());

        assertThat(components).extracting(Component::name)
                .containsExactly("containerd", "node", "pod-network", "proxy", NetworkPolicyComponent.NAME, "dns", "ingress");
        assertThat(components.get(4).dependsOn()).isEqualTo(Set.of("join"));
    }

    @Test
    void twoNodesOnOneMachineKeepTheirPoliciesInTablesOfTheirOwn() {
        String first = NodeComponents.networkPolicy("node-1", NodeComponents.suffix(dir.resolve("a"))).table();
        String second = NodeComponents.networkPolicy("node-1", NodeComponents.suffix(dir.resolve("b"))).table();

        assertThat(first).startsWith("konductor-netpol-").isNotEqualTo(second);
    }

    /** An agent's access: valid once its join has run. */
    private record JoinedCluster(Path kubeconfig) implements ClusterAccess {
        @Override
        public Path proxyKubeconfig() {
            return kubeconfig;
        }

        @Override
        public Set<String> components() {
            return Set.of("join");
        }

        @Override
        public X509Certificate clusterCa() {
            throw new UnsupportedOperationException("not asked before the node starts");
        }

        @Override
        public String registryUrl() {
            return "http://192.0.2.1:5000";
        }
    }
}
