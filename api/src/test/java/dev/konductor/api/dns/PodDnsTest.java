package dev.konductor.api.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PodDnsTest {

    private static final ResolvConf HOST = ResolvConf.parse("""
            # written by the host's network manager
            domain corp.example
            search corp.example lab.example
            nameserver 192.0.2.53
            nameserver 192.0.2.54 ; second
            options edns0 timeout:2
            """);
    private static final PodDns.Node NODE = new PodDns.Node(List.of("10.96.0.10"), "cluster.local", Optional.of(HOST),
            List.of("192.0.2.10"));

    private static Pod pod(String policy, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName("web-0").withNamespace("shop").withUid("u1").endMetadata()
                .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork).endSpec().build();
    }

    @Test
    void parsesHostResolvConfAsTheKubeletDoes() {
        assertThat(HOST.nameservers()).containsExactly("192.0.2.53", "192.0.2.54");
        assertThat(HOST.searches()).containsExactly("corp.example", "lab.example");
        assertThat(HOST.options()).containsExactly("edns0", "timeout:2");
        ResolvConf later = ResolvConf.parse("search a.example.\nsearch b.example\noptions ndots:2\noptions ndots:3 rotate\n");
        assertThat(later.searches()).containsExactly("b.example");
        assertThat(later.options()).containsExactly("ndots:3", "rotate");
    }

    @Test
    void clusterFirstUsesClusterDnsAndUpstreamSearchPath() {
        PodDns.Result result = PodDns.forPod(pod("ClusterFirst", false), NODE);
        assertThat(result.resolvConf().render()).isEqualTo("""
                search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example
                nameserver 10.96.0.10
                options ndots:5
                """);
        assertThat(result.warnings()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            // policy, hostNetwork, expected nameserver
            "ClusterFirst, false, 10.96.0.10",
            ", false, 10.96.0.10",
            "ClusterFirst, true, 192.0.2.53",
            "ClusterFirstWithHostNet, true, 10.96.0.10",
            "ClusterFirstWithHostNet, false, 10.96.0.10",
            "Default, false, 192.0.2.53",
            "Default, true, 192.0.2.53"})
    void policyChoosesTheNameserver(String policy, boolean hostNetwork, String expected) {
        assertThat(PodDns.forPod(pod(policy, hostNetwork), NODE).resolvConf().nameservers().getFirst()).isEqualTo(expected);
    }

    @Test
    void defaultPolicyCopiesTheHost() {
        ResolvConf conf = PodDns.forPod(pod("Default", false), NODE).resolvConf();
        assertThat(conf).isEqualTo(HOST);
    }

    @Test
    void noneTakesOnlyDnsConfig() {
        Pod pod = new PodBuilder(pod("None", false)).editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers("1.2.3.4").withSearches("ns1.svc.cluster-domain.example", "my.dns.search.suffix")
                .addNewOption().withName("ndots").withValue("2").endOption()
                .addNewOption().withName("edns0").endOption().build()).endSpec().build();
        assertThat(PodDns.forPod(pod, NODE).resolvConf().render()).isEqualTo("""
                search ns1.svc.cluster-domain.example my.dns.search.suffix
                nameserver 1.2.3.4
                options ndots:2 edns0
                """);
    }

    @Test
    void dnsConfigAppendsWithoutDuplicatesAndOverridesOptionsByName() {
        Pod pod = new PodBuilder(pod("ClusterFirst", false)).editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers("10.96.0.10", "192.0.2.99").withSearches("cluster.local", "extra.example")
                .addNewOption().withName("ndots").withValue("1").endOption()
                .addNewOption().withName("single-request-reopen").endOption().build()).endSpec().build();
        ResolvConf conf = PodDns.forPod(pod, NODE).resolvConf();
        assertThat(conf.nameservers()).containsExactly("10.96.0.10", "192.0.2.99");
        assertThat(conf.searches()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local",
                "corp.example", "lab.example", "extra.example");
        assertThat(conf.options()).containsExactly("ndots:1", "single-request-reopen");
    }

    @Test
    void missingClusterDnsFallsBackToHostWithWarnings() {
        PodDns.Node node = new PodDns.Node(List.of(), "cluster.local", Optional.of(HOST), List.of());
        PodDns.Result result = PodDns.forPod(pod("ClusterFirst", false), node);
        assertThat(result.resolvConf()).isEqualTo(HOST);
        assertThat(result.warnings()).extracting(PodDns.Warning::reason).containsExactly("MissingClusterDNS", "MissingClusterDNS");
        assertThat(result.warnings().get(1).message()).isEqualTo("pod: \"web-0_shop(u1)\". kubelet does not have ClusterDNS IP "
                + "configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.");
    }

    @Test
    void emptyClusterDomainKeepsOnlyHostSearches() {
        PodDns.Node node = new PodDns.Node(List.of("10.96.0.10"), "", Optional.of(HOST), List.of());
        assertThat(PodDns.forPod(pod("ClusterFirst", false), node).resolvConf().searches())
                .containsExactly("corp.example", "lab.example");
    }

    @Test
    void withoutHostResolvConfHostPodsUseTheLocalResolver() {
        PodDns.Node node = new PodDns.Node(List.of("10.96.0.10"), "cluster.local", Optional.empty(),
                List.of("192.0.2.10", "2001:db8::10"));
        ResolvConf conf = PodDns.forPod(pod("Default", false), node).resolvConf();
        assertThat(conf.nameservers()).containsExactly("127.0.0.1", "::1");
        assertThat(conf.searches()).containsExactly(".");
    }

    @Test
    void tooManyNameserversAreCutToThree() {
        Pod pod = new PodBuilder(pod("ClusterFirst", false)).editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers("192.0.2.1", "192.0.2.2", "192.0.2.3").build()).endSpec().build();
        PodDns.Result result = PodDns.forPod(pod, NODE);
        assertThat(result.resolvConf().nameservers()).containsExactly("10.96.0.10", "192.0.2.1", "192.0.2.2");
        assertThat(result.warnings()).singleElement().satisfies(w -> {
            assertThat(w.reason()).isEqualTo("DNSConfigForming");
            assertThat(w.message()).isEqualTo("Nameserver limits were exceeded, some nameservers have been omitted, "
                    + "the applied nameserver line is: 10.96.0.10 192.0.2.1 192.0.2.2");
        });
    }

    @Test
    void searchListIsCutToUpstreamLimits() {
        List<String> many = IntStream.range(0, 40).mapToObj(i -> "d" + i + ".example").toList();
        Pod pod = new PodBuilder(pod("None", false)).editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers("192.0.2.1").withSearches(many).build()).endSpec().build();
        PodDns.Result result = PodDns.forPod(pod, NODE);
        assertThat(result.resolvConf().searches()).hasSize(32).startsWith("d0.example").endsWith("d31.example");
        assertThat(result.warnings()).extracting(PodDns.Warning::reason).containsExactly("DNSConfigForming");

        List<String> longOnes = new ArrayList<>();
        longOnes.add("x".repeat(254));
        for (int i = 0; i < 10; i++) {
            longOnes.add(i + "y".repeat(249));
        }
        pod = new PodBuilder(pod).editSpec().editDnsConfig().withSearches(longOnes).endDnsConfig().endSpec().build();
        List<String> kept = PodDns.forPod(pod, NODE).resolvConf().searches();
        // the 254-character path is dropped, then whole paths from the end until the line is at most 2048 characters
        assertThat(kept).hasSize(8).allMatch(s -> s.length() == 250);
        assertThat(String.join(" ", kept).length()).isLessThanOrEqualTo(2048);
    }
}
