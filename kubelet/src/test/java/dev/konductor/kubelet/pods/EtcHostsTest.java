package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HostAlias;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcHostsTest {

    @Test
    void aPodSeesItsOwnNameAndAddressAsUpstreamWritesThem() {
        assertThat(EtcHosts.managed(List.of("10.244.0.5"), "web", "", List.of())).isEqualTo("""
                # Kubernetes-managed hosts file.
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                fe00::0\tip6-mcastprefix
                fe00::1\tip6-allnodes
                fe00::2\tip6-allrouters
                10.244.0.5\tweb
                """);
    }

    @Test
    void aSubdomainAddsTheFqdnAndAliasesComeLast() {
        String hosts = EtcHosts.managed(List.of("10.244.0.5"), "web-0", "web.shop.svc.cluster.local",
                List.of(new HostAlias(List.of("foo.local", "bar.local"), "127.0.0.1"), new HostAlias(List.of("db"), "10.1.2.3")));

        assertThat(hosts).endsWith("""
                fe00::2\tip6-allrouters
                10.244.0.5\tweb-0.web.shop.svc.cluster.local\tweb-0

                # Entries added by HostAliases.
                127.0.0.1\tfoo.local\tbar.local
                10.1.2.3\tdb
                """);
    }

    @Test
    void hostNetworkPodsGetTheNodesFileUnderAHeader() {
        assertThat(EtcHosts.hostNetwork("127.0.0.1 localhost\n", List.of()))
                .isEqualTo("# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n");
    }
}
