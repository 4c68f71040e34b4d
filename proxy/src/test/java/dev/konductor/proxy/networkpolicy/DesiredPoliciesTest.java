package dev.konductor.proxy.networkpolicy;

import static dev.konductor.proxy.networkpolicy.PolicyObjects.bothPeer;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.ipBlock;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.labels;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.namespace;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.namespacePeer;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.pod;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.podPeer;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.policy;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.port;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.konductor.proxy.model.Protocol;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Upstream's NetworkPolicy semantics, pod by pod. The cluster: namespaces prod, dev and ops
 * (labelled purpose=monitoring); this node (node-a) runs prod/server and prod/client, the
 * others run elsewhere.
 */
class DesiredPoliciesTest {

    private final DesiredPolicies desired = new DesiredPolicies("node-a");
    private final List<Namespace> namespaces = List.of(namespace("prod", Map.of("team", "prod")),
            namespace("dev", Map.of("team", "dev")), namespace("ops", Map.of("purpose", "monitoring")));
    private final List<Pod> pods = new ArrayList<>(List.of(
            pod("prod", "server", "node-a", "10.0.0.10", Map.of("app", "server")),
            pod("prod", "client", "node-a", "10.0.0.11", Map.of("app", "client")),
            pod("prod", "other", "node-b", "10.0.1.12", Map.of("app", "other")),
            pod("dev", "client", "node-b", "10.0.1.20", Map.of("app", "client")),
            pod("ops", "monitor", "node-b", "10.0.1.30", Map.of("app", "monitor"))));

    private PolicyModel compute(NetworkPolicy... policies) {
        return desired.compute(List.of(policies), pods, namespaces);
    }

    private static PodPolicy isolated(PolicyModel model, String key) {
        return model.pods().stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError(key + " is not isolated in " + model));
    }

    private static List<AllowRule> ingress(PolicyModel model, String key) {
        return ((Isolation.Isolated) isolated(model, key).ingress()).allowed();
    }

    private static List<AllowRule> egress(PolicyModel model, String key) {
        return ((Isolation.Isolated) isolated(model, key).egress()).allowed();
    }

    private static List<String> sources(AllowRule rule) {
        return ((Peers.Only) rule.peers()).addresses().ipv4Elements();
    }

    private static List<String> ports(AllowRule rule) {
        return ((Ports.Only) rule.ports()).ranges().stream().map(PortRange::element).toList();
    }

    @Test
    void withoutPoliciesNothingIsIsolated() {
        assertThat(compute()).isEqualTo(PolicyModel.EMPTY);
    }

    @Test
    void aPolicyWithoutTypesOrRulesIsolatesIngressOnlyAndAllowsNothing() {
        PolicyModel model = compute(policy("prod", "deny", labels()).build());

        assertThat(model.pods()).extracting(PodPolicy::key).containsExactly("prod/client", "prod/server");
        PodPolicy server = isolated(model, "prod/server");
        assertThat(server.ingress()).isEqualTo(new Isolation.Isolated(List.of()));
        assertThat(server.egress()).isEqualTo(Isolation.OPEN);
        assertThat(server.ips()).extracting(Object::toString).containsExactly("/10.0.0.10");
    }

    @Test
    void egressRulesWithoutTypesIsolateBothDirections() {
        PolicyModel model = compute(policy("prod", "egress", labels("app", "client")).editSpec()
                .addNewEgress().addToPorts(tcp(53)).endEgress().endSpec().build());

        assertThat(isolated(model, "prod/client").ingress()).isEqualTo(new Isolation.Isolated(List.of()));
        assertThat(egress(model, "prod/client")).singleElement()
                .satisfies(rule -> assertThat(rule.peers()).isEqualTo(Peers.ANY))
                .satisfies(rule -> assertThat(ports(rule)).containsExactly("tcp . 53"));
    }

    @Test
    void egressOnlyTypesLeaveIngressOpen() {
        PolicyModel model = compute(policy("prod", "egress", labels()).editSpec().withPolicyTypes("Egress").endSpec().build());

        assertThat(isolated(model, "prod/server").ingress()).isEqualTo(Isolation.OPEN);
        assertThat(isolated(model, "prod/server").egress()).isEqualTo(new Isolation.Isolated(List.of()));
    }

    @Test
    void theSelectorPicksPodsOfThePolicysNamespaceOnThisNodeOnly() {
        PolicyModel model = compute(
                policy("prod", "servers", labels("app", "server")).build(),
                policy("dev", "everything", labels()).build(),
                new NetworkPolicyBuilder(policy("prod", "expressions", null).build()).editSpec().withNewPodSelector()
                        .addNewMatchExpression().withKey("app").withOperator("NotIn").withValues("server").endMatchExpression()
                        .endPodSelector().endSpec().build());

        // dev's policy selects only dev/client, which runs on node-b; prod/other too
        assertThat(model.pods()).extracting(PodPolicy::key).containsExactly("prod/client", "prod/server");
    }

    @Test
    void aPodSelectorPeerLooksInThePolicysNamespaceOnly() {
        PolicyModel model = compute(policy("prod", "from-clients", labels("app", "server")).editSpec()
                .addNewIngress().addToFrom(podPeer(labels("app", "client"))).endIngress().endSpec().build());

        // dev/client (10.0.1.20) has the label too, but lives in another namespace
        assertThat(ingress(model, "prod/server")).singleElement()
                .satisfies(rule -> assertThat(sources(rule)).containsExactly("10.0.0.11"))
                .satisfies(rule -> assertThat(rule.ports()).isEqualTo(Ports.ANY));
    }

    @Test
    void aNamespaceSelectorPeerTakesEveryPodOfTheMatchingNamespaces() {
        PolicyModel model = compute(policy("prod", "from-monitoring", labels("app", "server")).editSpec()
                .addNewIngress().addToFrom(namespacePeer(labels("purpose", "monitoring"))).endIngress().endSpec().build(),
                policy("prod", "from-dev-by-name", labels("app", "server")).editSpec()
                .addNewIngress().addToFrom(namespacePeer(labels("kubernetes.io/metadata.name", "dev"))).endIngress()
                .endSpec().build());

        assertThat(ingress(model, "prod/server")).extracting(DesiredPoliciesTest::sources)
                .containsExactly(List.of("10.0.1.20"), List.of("10.0.1.30"));
    }

    @Test
    void podAndNamespaceSelectorsInOnePeerAreAndedTwoPeersAreOred() {
        PolicyModel and = compute(policy("prod", "and", labels("app", "server")).editSpec().addNewIngress()
                .addToFrom(bothPeer(labels("team", "dev"), labels("app", "client"))).endIngress().endSpec().build());
        PolicyModel or = compute(policy("prod", "or", labels("app", "server")).editSpec().addNewIngress()
                .addToFrom(namespacePeer(labels("team", "dev")), podPeer(labels("app", "client"))).endIngress()
                .endSpec().build());

        assertThat(ingress(and, "prod/server")).extracting(DesiredPoliciesTest::sources)
                .containsExactly(List.of("10.0.1.20"));
        assertThat(ingress(or, "prod/server")).extracting(DesiredPoliciesTest::sources)
                .containsExactly(List.of("10.0.0.11", "10.0.1.20"));
    }

    @Test
    void anEmptyNamespaceSelectorWithAPodSelectorMeansThosePodsInEveryNamespace() {
        PolicyModel model = compute(policy("prod", "clients-anywhere", labels("app", "server")).editSpec()
                .addNewIngress().addToFrom(bothPeer(labels(), labels("app", "client"))).endIngress().endSpec().build());

        assertThat(ingress(model, "prod/server")).extracting(DesiredPoliciesTest::sources)
                .containsExactly(List.of("10.0.0.11", "10.0.1.20"));
    }

    @Test
    void anIpBlockIsItsCidrWithoutTheExcepts() {
        PolicyModel model = compute(policy("prod", "block", labels("app", "server")).editSpec().addNewIngress()
                .addToFrom(ipBlock("172.17.0.0/16", "172.17.1.0/24")).endIngress().endSpec().build());

        assertThat(ingress(model, "prod/server")).extracting(DesiredPoliciesTest::sources)
                .containsExactly(List.of("172.17.0.0/24", "172.17.2.0-172.17.255.255"));
    }

    @Test
    void anEmptyRuleAllowsEverythingAndTheUnionOfPoliciesIsAllowed() {
        PolicyModel model = compute(
                policy("prod", "deny", labels()).build(),
                policy("prod", "web", labels("app", "server")).editSpec().addNewIngress().addToPorts(tcp(8080))
                        .endIngress().endSpec().build(),
                policy("prod", "all", labels("app", "client")).editSpec().addNewIngress().endIngress().endSpec().build());

        assertThat(ingress(model, "prod/server")).singleElement()
                .satisfies(rule -> assertThat(rule.peers()).isEqualTo(Peers.ANY))
                .satisfies(rule -> assertThat(ports(rule)).containsExactly("tcp . 8080"));
        assertThat(ingress(model, "prod/client")).containsExactly(AllowRule.EVERYTHING);
    }

    @Test
    void namedPortsResolveOnEachIsolatedPodForIngress() {
        pods.add(pod("prod", "server-2", "node-a", "10.0.0.13", Map.of("app", "server"), 8443));
        PolicyModel model = compute(policy("prod", "http", labels("app", "server")).editSpec().addNewIngress()
                .addToPorts(port("TCP", "http", null)).endIngress().endSpec().build());

        assertThat(ingress(model, "prod/server")).extracting(DesiredPoliciesTest::ports).containsExactly(List.of("tcp . 8080"));
        assertThat(ingress(model, "prod/server-2")).extracting(DesiredPoliciesTest::ports).containsExactly(List.of("tcp . 8443"));
    }

    @Test
    void aNamedPortOfTheWrongProtocolOrMissingAllowsNothing() {
        PolicyModel model = compute(policy("prod", "named", labels("app", "server")).editSpec().addNewIngress()
                .addToPorts(port("UDP", "http", null), port("TCP", "grpc", null)).endIngress().endSpec().build());

        assertThat(ingress(model, "prod/server")).isEmpty();
    }

    @Test
    void namedPortsResolveOnEachDestinationPodForEgress() {
        pods.add(pod("dev", "web", "node-b", "10.0.1.22", Map.of("app", "web"), 8443));
        PolicyModel model = compute(policy("prod", "to-http", labels("app", "client")).editSpec()
                .withPolicyTypes("Egress").addNewEgress().addToTo(namespacePeer(labels("team", "dev")))
                .addToPorts(port("TCP", "http", null), tcp(53)).endEgress().endSpec().build());

        List<AllowRule> rules = egress(model, "prod/client");
        assertThat(rules).extracting(DesiredPoliciesTest::sources, DesiredPoliciesTest::ports).containsExactly(
                tuple(List.of("10.0.1.20", "10.0.1.22"), List.of("tcp . 53")),
                tuple(List.of("10.0.1.20"), List.of("tcp . 8080")),
                tuple(List.of("10.0.1.22"), List.of("tcp . 8443")));
    }

    @Test
    void portRangesAndProtocolsWithoutPortsAreKept() {
        PolicyModel model = compute(policy("prod", "ports", labels("app", "server")).editSpec().addNewIngress()
                .addToPorts(port("TCP", 8000, 8100), port("TCP", 8050, null), port("UDP", null, null), port("SCTP", 9, null))
                .endIngress().endSpec().build());

        assertThat(ingress(model, "prod/server")).extracting(DesiredPoliciesTest::ports)
                .containsExactly(List.of("tcp . 8000-8100", "udp . 0-65535", "sctp . 9"));
    }

    @Test
    void anEndPortBeforeThePortMatchesNothingRatherThanEverything() {
        PolicyModel model = compute(policy("prod", "bad-range", labels("app", "server")).editSpec().addNewIngress()
                .addToPorts(port("TCP", 9000, 8000)).endIngress().endSpec().build());

        assertThat(ingress(model, "prod/server")).isEmpty();
        assertThat(new PortRange(Protocol.TCP, 1, 2).element()).isEqualTo("tcp . 1-2");
    }

    @Test
    void hostNetworkAndFinishedPodsAreNeitherIsolatedNorPeers() {
        pods.replaceAll(pod -> switch (pod.getMetadata().getName()) {
            case "server" -> new PodBuilder(pod).editSpec().withHostNetwork(true).endSpec().build();
            case "other" -> new PodBuilder(pod).editStatus().withPhase("Succeeded").endStatus().build();
            default -> pod;
        });
        PolicyModel model = compute(policy("prod", "deny", labels()).editSpec().addNewIngress()
                .addToFrom(podPeer(labels())).endIngress().endSpec().build());

        assertThat(model.pods()).extracting(PodPolicy::key).containsExactly("prod/client");
        assertThat(ingress(model, "prod/client")).extracting(DesiredPoliciesTest::sources)
                .containsExactly(List.of("10.0.0.11"));
    }

    @Test
    void pendingPodsWithoutAnAddressWaitUntilTheyHaveOne() {
        pods.add(new PodBuilder(pod("prod", "new", "node-a", "10.0.0.14", Map.of())).editStatus().withPodIP(null)
                .withPodIPs(List.of()).withPhase("Pending").endStatus().build());

        assertThat(compute(policy("prod", "deny", labels()).build()).pods()).extracting(PodPolicy::key)
                .doesNotContain("prod/new");
    }
}
