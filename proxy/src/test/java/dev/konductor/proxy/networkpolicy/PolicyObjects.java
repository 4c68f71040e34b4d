package dev.konductor.proxy.networkpolicy;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.Map;

/** Pods, Namespaces and NetworkPolicies shaped as the API server stores them. */
final class PolicyObjects {

    private PolicyObjects() {
    }

    static Namespace namespace(String name, Map<String, String> labels) {
        return new NamespaceBuilder().withNewMetadata().withName(name).addToLabels(labels)
                .addToLabels("kubernetes.io/metadata.name", name).endMetadata().build();
    }

    /** A running pod on {@code node} with address {@code ip}, serving "http" on 8080 and "metrics" on 9090. */
    static Pod pod(String namespace, String name, String node, String ip, Map<String, String> labels) {
        return pod(namespace, name, node, ip, labels, 8080);
    }

    static Pod pod(String namespace, String name, String node, String ip, Map<String, String> labels, int httpPort) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).addToLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("busybox")
                .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(httpPort).withProtocol("TCP").build(),
                        new ContainerPortBuilder().withName("metrics").withContainerPort(9090).withProtocol("TCP").build(),
                        new ContainerPortBuilder().withName("dns").withContainerPort(5353).withProtocol("UDP").build())
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP().endStatus().build();
    }

    static LabelSelector labels(String... keyValues) {
        LabelSelectorBuilder builder = new LabelSelectorBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.addToMatchLabels(keyValues[i], keyValues[i + 1]);
        }
        return builder.build();
    }

    static NetworkPolicyBuilder policy(String namespace, String name, LabelSelector podSelector) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withPodSelector(podSelector).endSpec();
    }

    static NetworkPolicyPeer podPeer(LabelSelector pods) {
        return new NetworkPolicyPeerBuilder().withPodSelector(pods).build();
    }

    static NetworkPolicyPeer namespacePeer(LabelSelector namespaces) {
        return new NetworkPolicyPeerBuilder().withNamespaceSelector(namespaces).build();
    }

    static NetworkPolicyPeer bothPeer(LabelSelector namespaces, LabelSelector pods) {
        return new NetworkPolicyPeerBuilder().withNamespaceSelector(namespaces).withPodSelector(pods).build();
    }

    static NetworkPolicyPeer ipBlock(String cidr, String... except) {
        return new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).withExcept(except).endIpBlock().build();
    }

    static NetworkPolicyPort tcp(int port) {
        return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build();
    }

    static NetworkPolicyPort port(String protocol, Object port, Integer endPort) {
        NetworkPolicyPortBuilder builder = new NetworkPolicyPortBuilder().withProtocol(protocol).withEndPort(endPort);
        if (port != null) {
            builder.withPort(new IntOrString(port));
        }
        return builder.build();
    }
}
