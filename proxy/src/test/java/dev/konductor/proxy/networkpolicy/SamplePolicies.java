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

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;

/** Models for the renderer's tests, computed from objects so they read like a cluster. */
final class SamplePolicies {

    private SamplePolicies() {
    }

    private static final List<Namespace> NAMESPACES = List.of(namespace("prod", Map.of()),
            namespace("ops", Map.of("purpose", "monitoring")));

    private static final List<Pod> PODS = List.of(
            pod("prod", "web-1", "node-a", "10.244.0.5", Map.of("app", "web")),
            pod("prod", "web-2", "node-a", "10.244.0.6", Map.of("app", "web")),
            new PodBuilder(pod("prod", "db", "node-a", "10.244.0.7", Map.of("app", "db"))).editStatus()
                    .addNewPodIP().withIp("fd00:10:244::7").endPodIP().endStatus().build(),
            pod("prod", "api", "node-b", "10.244.1.9", Map.of("app", "api")),
            pod("ops", "prometheus", "node-b", "10.244.1.30", Map.of("app", "prometheus")));

    /** Web pods open on http to everyone; db reachable from web and monitoring, and talking only to DNS. */
    static PolicyModel full() {
        List<NetworkPolicy> policies = List.of(
                policy("prod", "default-deny", labels()).editSpec().withPolicyTypes("Ingress").endSpec().build(),
                policy("prod", "web-http", labels("app", "web")).editSpec().addNewIngress()
                        .addToPorts(port("TCP", "http", null)).endIngress().endSpec().build(),
                policy("prod", "db", labels("app", "db")).editSpec().withPolicyTypes("Ingress", "Egress")
                        .addNewIngress().addToFrom(podPeer(labels("app", "web")),
                                bothPeer(labels("purpose", "monitoring"), labels("app", "prometheus")))
                        .addToPorts(tcp(5432), port("TCP", "metrics", null)).endIngress()
                        .addNewEgress().addToTo(ipBlock("10.96.0.0/12", "10.96.0.0/24"), ipBlock("fd00:96::/108"))
                        .addToPorts(port("UDP", 53, null), port("TCP", 53, null), port("TCP", 8000, 8100)).endEgress()
                        .addNewEgress().addToTo(namespacePeer(labels("purpose", "monitoring"))).endEgress()
                        .endSpec().build());
        return new DesiredPolicies("node-a").compute(policies, PODS, NAMESPACES);
    }

    /** Before db had its policy, and while a policy isolated the web pods for egress too. */
    static PolicyModel earlier() {
        List<NetworkPolicy> policies = List.of(
                policy("prod", "default-deny", labels()).editSpec().withPolicyTypes("Ingress").endSpec().build(),
                policy("prod", "web-out", labels("app", "web")).editSpec().withPolicyTypes("Egress").addNewEgress()
                        .addToTo(podPeer(labels("app", "api"))).endEgress().endSpec().build());
        return new DesiredPolicies("node-a").compute(policies, PODS, NAMESPACES);
    }
}
