package dev.konductor.proxy.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code status.loadBalancer.ingress} of the Ingresses this controller serves at the
 * node's address, through the status subresource, and takes it off Ingresses that moved to
 * another class (only when it still is exactly ours: another controller may have written its own).
 */
final class IngressStatus {

    private static final Logger log = LoggerFactory.getLogger(IngressStatus.class);

    private final KubernetesClient client;
    private final List<IngressLoadBalancerIngress> ours;

    IngressStatus(KubernetesClient client, String statusAddress) {
        this.client = client;
        this.ours = List.of(entry(statusAddress));
    }

    /** An {@code ip} entry for an address literal, a {@code hostname} entry for anything else. */
    static IngressLoadBalancerIngress entry(String address) {
        boolean literal = address.matches("[0-9a-fA-F:.]+") && isLiteral(address);
        return literal ? new IngressLoadBalancerIngressBuilder().withIp(address).build()
                : new IngressLoadBalancerIngressBuilder().withHostname(address).build();
    }

    private static boolean isLiteral(String address) {
        try {
            InetAddress.ofLiteral(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The status an Ingress should have, or empty when it already has it. */
    Optional<List<IngressLoadBalancerIngress>> change(Ingress ingress, boolean served) {
        List<IngressLoadBalancerIngress> current = current(ingress);
        if (served) {
            return current.equals(ours) ? Optional.empty() : Optional.of(ours);
        }
        return current.equals(ours) ? Optional.of(List.of()) : Optional.empty();
    }

    /** Brings every Ingress in {@code ingresses} up to date; throws (to be retried) if a write failed. */
    void sync(List<Ingress> ingresses, Set<String> servedClasses) {
        RuntimeException failure = null;
        for (Ingress ingress : ingresses) {
            Optional<List<IngressLoadBalancerIngress>> change = change(ingress,
                    IngressClassRules.serves(ingress, servedClasses));
            if (change.isEmpty()) {
                continue;
            }
            try {
                write(ingress, change.get());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    failure = e; // a conflict means a newer version is on its way: the retry sees it
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void write(Ingress ingress, List<IngressLoadBalancerIngress> entries) {
        Ingress updated = new IngressBuilder(ingress).editOrNewStatus().withNewLoadBalancer().withIngress(entries)
                .endLoadBalancer().endStatus().build();
        client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace()).resource(updated)
                .updateStatus();
        log.info("ingress: status written ingress={}/{} loadBalancer={}", ingress.getMetadata().getNamespace(),
                ingress.getMetadata().getName(), entries.isEmpty() ? "[]" : describe(entries));
    }

    private static String describe(List<IngressLoadBalancerIngress> entries) {
        return entries.stream().map(e -> e.getIp() != null ? e.getIp() : e.getHostname()).toList().toString();
    }

    private static List<IngressLoadBalancerIngress> current(Ingress ingress) {
        if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
                || ingress.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return ingress.getStatus().getLoadBalancer().getIngress();
    }
}
