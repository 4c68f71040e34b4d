package dev.konductor.proxy.networkpolicy;

import dev.konductor.api.meta.LabelSelector;
import dev.konductor.proxy.model.Cidr;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a rule's {@code from} (or {@code to}) selects: the addresses, and the pods among them
 * (needed to resolve named ports on destination pods).
 *
 * <p>Upstream's peer semantics: no peers at all means every address; the peers of a list are
 * OR-ed; within one peer, {@code podSelector} and {@code namespaceSelector} are AND-ed (a
 * {@code podSelector} alone looks in the policy's own namespace, a {@code namespaceSelector}
 * alone takes every pod of the matching namespaces); an {@code ipBlock} is its CIDR without
 * its {@code except} ranges.
 *
 * @param peers the addresses
 * @param pods  the pods whose addresses they include, each with only those of its IPs that count
 */
record PeerSelection(Peers peers, List<ClusterPods.PodView> pods) {

    private static final Logger log = LoggerFactory.getLogger(PeerSelection.class);

    static PeerSelection of(List<NetworkPolicyPeer> peers, String policyNamespace, ClusterPods cluster) {
        if (peers == null || peers.isEmpty()) {
            return new PeerSelection(Peers.ANY, cluster.all());
        }
        AddressRanges addresses = AddressRanges.EMPTY;
        Set<ClusterPods.PodView> pods = new LinkedHashSet<>();
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                AddressRanges block = block(peer.getIpBlock());
                addresses = addresses.union(block);
                for (ClusterPods.PodView pod : cluster.all()) {
                    List<InetAddress> inside = pod.ips().stream().filter(block::contains).toList();
                    if (!inside.isEmpty()) {
                        pods.add(withIps(pod, inside));
                    }
                }
                continue;
            }
            for (ClusterPods.PodView pod : selectedPods(peer, policyNamespace, cluster)) {
                addresses = addresses.union(AddressRanges.of(pod.ips()));
                pods.add(pod);
            }
        }
        return new PeerSelection(new Peers.Only(addresses), List.copyOf(pods));
    }

    private static List<ClusterPods.PodView> selectedPods(NetworkPolicyPeer peer, String policyNamespace,
                                                          ClusterPods cluster) {
        if (peer.getPodSelector() == null && peer.getNamespaceSelector() == null) {
            return List.of(); // refused by validation: a peer must say something
        }
        LabelSelector podSelector = peer.getPodSelector() == null ? LabelSelector.everything()
                : Selectors.of(peer.getPodSelector());
        if (peer.getNamespaceSelector() == null) {
            return cluster.inNamespace(policyNamespace).stream().filter(pod -> podSelector.matches(pod.labels())).toList();
        }
        return cluster.select(Selectors.of(peer.getNamespaceSelector()), podSelector);
    }

    /**
     * The CIDR without the {@code except}s. An unparsable CIDR or except (both refused by
     * validation) makes the block no address at all: better to allow too little than too much.
     */
    private static AddressRanges block(IPBlock block) {
        Optional<Cidr> cidr = cidr(block.getCidr());
        if (cidr.isEmpty()) {
            return AddressRanges.EMPTY;
        }
        AddressRanges addresses = AddressRanges.of(cidr.get());
        for (String except : block.getExcept() == null ? List.<String>of() : block.getExcept()) {
            Optional<Cidr> cut = cidr(except);
            if (cut.isEmpty()) {
                return AddressRanges.EMPTY;
            }
            addresses = addresses.minus(AddressRanges.of(cut.get()));
        }
        return addresses;
    }

    private static Optional<Cidr> cidr(String text) {
        try {
            return Optional.of(Cidr.parse(text == null ? "" : text));
        } catch (IllegalArgumentException invalid) {
            log.warn("invalid CIDR in a NetworkPolicy ipBlock matches nothing cidr={}", text);
            return Optional.empty();
        }
    }

    private static ClusterPods.PodView withIps(ClusterPods.PodView pod, List<InetAddress> ips) {
        return new ClusterPods.PodView(pod.namespace(), pod.name(), pod.nodeName(), pod.labels(), ips, pod.ports());
    }
}
