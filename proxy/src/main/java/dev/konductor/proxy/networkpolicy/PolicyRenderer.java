package dev.konductor.proxy.networkpolicy;

import dev.konductor.proxy.nftables.NftRuleset;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders a {@link PolicyModel} as one {@code inet} table (IPv4 and IPv6 alike):
 * <ul>
 *   <li>one base chain at the forward hook, where every packet between a pod and anything
 *       but the node itself passes: packets routed by the node, and packets between two pods of the node's
 *       bridge once the bridge hands them to IP netfilter ({@code br_netfilter}, see
 *       {@link BridgeNetfilter}). Services are DNATed before the forward hook (prerouting),
 *       so the rules see the real destination pod. It matches addresses only, never
 *       interfaces, so bridged and routed packets meet the same rules;</li>
 *   <li>replies and related packets of allowed connections pass first ({@code ct state}), and
 *       so does IPv6 neighbour discovery (the ARP of IPv6, which no policy speaks of);</li>
 *   <li>verdict maps send a packet from an egress-isolated pod, then one to an
 *       ingress-isolated pod, to a chain holding that pod's allow rules: egress chains
 *       {@code return} on a match (the ingress check of the destination follows), ingress
 *       chains {@code accept}; both end in a counted {@code drop}. Pods with equal rules share
 *       a chain, named after a hash of its rules.</li>
 * </ul>
 * Traffic the node itself sends (kubelet probes, host processes, the proxy's own connections)
 * leaves through the output hook and is never filtered, as upstream allows it; likewise a pod's
 * traffic to its own node's addresses (the input hook), e.g. to node-local DNS or host-network
 * pods, which upstream leaves to the implementation.
 *
 * <p>Denied packets are dropped, not rejected: as in most upstream plugins, a denied client
 * learns nothing, and no ICMP or reset is sent towards a possibly forged source.
 * Pure: equal models give equal rulesets.
 */
public final class PolicyRenderer {

    static final String FAMILY = "inet";

    private final String table;

    public PolicyRenderer(String table) {
        if (!table.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("not an nftables table name: " + table);
        }
        this.table = table;
    }

    /** Chains so far, keyed by their rules, and the verdict map elements pointing at them. */
    private static final class Parts {
        final Map<List<String>, String> chainsByRules = new LinkedHashMap<>();
        final Map<String, List<String>> chainRules = new HashMap<>();
        final List<String> ingress4 = new ArrayList<>();
        final List<String> ingress6 = new ArrayList<>();
        final List<String> egress4 = new ArrayList<>();
        final List<String> egress6 = new ArrayList<>();
        final Set<String> ingressIps = new HashSet<>();
        final Set<String> egressIps = new HashSet<>();

        String chain(String prefix, List<String> rules) {
            String existing = chainsByRules.get(rules);
            if (existing != null) {
                return existing;
            }
            String name = prefix + hash(String.join("\n", rules));
            for (int n = 2; chainRules.containsKey(name); n++) {
                name = prefix + hash(String.join("\n", rules)) + "-" + n; // a hash collision: never shared
            }
            chainsByRules.put(rules, name);
            chainRules.put(name, rules);
            return name;
        }
    }

    public NftRuleset render(PolicyModel model) {
        Parts parts = new Parts();
        for (PodPolicy pod : model.pods()) {
            if (pod.ingress() instanceof Isolation.Isolated isolated) {
                String chain = parts.chain("ingress-", chainRules(isolated, "saddr", "accept"));
                addElements(pod, chain, parts.ingressIps, parts.ingress4, parts.ingress6);
            }
            if (pod.egress() instanceof Isolation.Isolated isolated) {
                String chain = parts.chain("egress-", chainRules(isolated, "daddr", "return"));
                addElements(pod, chain, parts.egressIps, parts.egress4, parts.egress6);
            }
        }
        List<NftRuleset.Chain> chains = new ArrayList<>();
        chains.add(new NftRuleset.Chain("filter-forward", Optional.of(new NftRuleset.Hook("filter", "forward", 0)), List.of(
                "ct state established,related accept",
                // IPv6 neighbour discovery between pods of one bridge: no connection, and never a policy's business
                "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept",
                "ip saddr vmap @egress-ipv4",
                "ip6 saddr vmap @egress-ipv6",
                "ip daddr vmap @ingress-ipv4",
                "ip6 daddr vmap @ingress-ipv6")));
        parts.chainsByRules.forEach((rules, name) -> chains.add(new NftRuleset.Chain(name, Optional.empty(), rules)));
        List<NftRuleset.NamedSet> maps = List.of(
                verdictMap("ingress-ipv4", "ipv4_addr", parts.ingress4),
                verdictMap("ingress-ipv6", "ipv6_addr", parts.ingress6),
                verdictMap("egress-ipv4", "ipv4_addr", parts.egress4),
                verdictMap("egress-ipv6", "ipv6_addr", parts.egress6));
        return new NftRuleset(FAMILY, table, chains, maps);
    }

    /**
     * A pod's allow rules for one direction, each ending in {@code verdict}, then the drop.
     * {@code peer} is where the other end's address is: the source of ingress, the destination of egress.
     */
    private static List<String> chainRules(Isolation.Isolated isolated, String peer, String verdict) {
        List<String> rules = new ArrayList<>();
        for (AllowRule rule : isolated.allowed()) {
            String ports = switch (rule.ports()) {
                case Ports.Any any -> "";
                case Ports.Only only -> "meta l4proto . th dport { "
                        + String.join(", ", only.ranges().stream().map(PortRange::element).toList()) + " } ";
            };
            switch (rule.peers()) {
                case Peers.Any any -> rules.add(ports + verdict);
                case Peers.Only only -> {
                    if (!only.addresses().ipv4Elements().isEmpty()) {
                        rules.add("ip " + peer + " { " + String.join(", ", only.addresses().ipv4Elements()) + " } "
                                + ports + verdict);
                    }
                    if (!only.addresses().ipv6Elements().isEmpty()) {
                        rules.add("ip6 " + peer + " { " + String.join(", ", only.addresses().ipv6Elements()) + " } "
                                + ports + verdict);
                    }
                }
            }
        }
        String direction = peer.equals("saddr") ? "ingress" : "egress";
        rules.add("counter drop comment \"" + direction + " not allowed by any NetworkPolicy\"");
        return rules;
    }

    /**
     * Map elements for the pod's addresses. An address already taken is skipped: two pods can
     * only share one while the cache still holds a deleted pod whose address was reused.
     */
    private static void addElements(PodPolicy pod, String chain, Set<String> taken, List<String> ipv4, List<String> ipv6) {
        for (InetAddress ip : pod.ips()) {
            if (!taken.add(ip.getHostAddress())) {
                continue;
            }
            String element = ip.getHostAddress() + " comment \"" + pod.key() + "\" : jump " + chain;
            (ip instanceof Inet4Address ? ipv4 : ipv6).add(element);
        }
    }

    private static NftRuleset.NamedSet verdictMap(String name, String addressType, List<String> elements) {
        return new NftRuleset.NamedSet(name, true, addressType + " : verdict", List.of(), Optional.empty(), false,
                elements);
    }

    /** Sixteen hex digits of a SHA-256: chains with equal rules get equal names across syncs. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
