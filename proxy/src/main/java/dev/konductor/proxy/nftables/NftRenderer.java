package dev.konductor.proxy.nftables;

import dev.konductor.proxy.model.ProxyEndpoint;
import dev.konductor.proxy.model.ProxyModel;
import dev.konductor.proxy.model.ServicePortRules;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Renders a {@link ProxyModel} as one nftables table, laid out like upstream kube-proxy's
 * nftables mode:
 * <ul>
 *   <li>base chains at the filter hooks (priority -110, before DNAT) reject traffic to Service
 *       ports without endpoints; after DNAT ({@code filter-output-post-dnat} and forward),
 *       anything still addressed to the service range is rejected: an unallocated ClusterIP or
 *       a port the ClusterIP does not serve;</li>
 *   <li>the nat base chains jump to {@code services}, which dispatches through verdict maps on
 *       {@code address . protocol . port} (ClusterIPs and external addresses) and
 *       {@code protocol . port} on local addresses (NodePorts);</li>
 *   <li>a chain per Service port picks an endpoint with {@code numgen random mod N}, after
 *       session-affinity lookups; a chain per endpoint DNATs, and marks hairpin traffic (a pod
 *       reaching itself) for masquerade;</li>
 *   <li>NodePort and external traffic goes through an {@code external-} chain that marks it for
 *       masquerade (policy Cluster) or keeps the client address and balances over local
 *       endpoints only (policy Local);</li>
 *   <li>{@code nat-postrouting} masquerades marked packets.</li>
 * </ul>
 * Pure: equal models give equal rulesets.
 */
public final class NftRenderer {

    static final String MASQUERADE_MARK = "0x4000";

    private final NftConfig config;
    private final String ip;
    private final String addrType;
    private final String loopback;

    public NftRenderer(NftConfig config) {
        this.config = config;
        this.ip = config.family();
        this.addrType = config.ipv4() ? "ipv4_addr" : "ipv6_addr";
        this.loopback = config.ipv4() ? "127.0.0.0/8" : "::1";
    }

    /** What the per-port rendering collects: chains, and the elements of the dispatch maps. */
    private static final class Parts {
        final List<String> serviceIps = new ArrayList<>();
        final List<String> serviceNodePorts = new ArrayList<>();
        final List<String> noEndpointServices = new ArrayList<>();
        final List<String> noEndpointNodePorts = new ArrayList<>();
        final List<NftRuleset.NamedSet> affinitySets = new ArrayList<>();
        final Set<String> endpointChainNames = new LinkedHashSet<>();
        final List<NftRuleset.Chain> serviceChains = new ArrayList<>();
        final List<NftRuleset.Chain> endpointChains = new ArrayList<>();
    }

    public NftRuleset render(ProxyModel model) {
        Parts parts = new Parts();
        for (ServicePortRules port : model.ports()) {
            renderPort(port, parts);
        }
        List<NftRuleset.Chain> chains = new ArrayList<>(baseChains());
        chains.addAll(parts.serviceChains);
        chains.addAll(parts.endpointChains);

        List<NftRuleset.NamedSet> sets = new ArrayList<>();
        sets.add(new NftRuleset.NamedSet("cluster-ips", false, addrType, List.of(), Optional.empty(), false,
                model.clusterIps().stream().map(NftRenderer::addr).toList()));
        if (!config.nodePortAddresses().isEmpty()) {
            sets.add(new NftRuleset.NamedSet("nodeport-ips", false, addrType, List.of(), Optional.empty(), false,
                    config.nodePortAddresses().stream().map(NftRenderer::addr).toList()));
        }
        String addressPortVerdict = addrType + " . inet_proto . inet_service : verdict";
        String portVerdict = "inet_proto . inet_service : verdict";
        sets.add(map("service-ips", addressPortVerdict, parts.serviceIps));
        sets.add(map("service-nodeports", portVerdict, parts.serviceNodePorts));
        sets.add(map("no-endpoint-services", addressPortVerdict, parts.noEndpointServices));
        sets.add(map("no-endpoint-nodeports", portVerdict, parts.noEndpointNodePorts));
        sets.addAll(parts.affinitySets);
        return new NftRuleset(ip, config.table(), chains, sets);
    }

    private void renderPort(ServicePortRules port, Parts parts) {
        String proto = port.protocol().lower();
        String path = chainPath(port);
        String serviceChain = "service-" + hash(path) + "-" + path;
        String externalChain = "external-" + hash(path) + "-" + path;
        String clusterKey = addr(port.clusterIp()) + " . " + proto + " . " + port.port();

        for (ProxyEndpoint endpoint : union(port.clusterEndpoints(), port.externalEndpoints())) {
            String chain = endpointChain(port, endpoint);
            if (parts.endpointChainNames.add(chain)) {
                parts.endpointChains.add(endpointChainRules(port, endpoint, chain));
                port.affinityTimeout().ifPresent(timeout -> parts.affinitySets.add(affinitySet(port, endpoint, timeout)));
            }
        }

        if (port.clusterEndpoints().isEmpty()) {
            parts.noEndpointServices.add(clusterKey + " : goto reject-chain");
        } else {
            List<String> rules = new ArrayList<>();
            config.clusterCidr().ifPresent(cidr -> rules.add(ip + " daddr " + addr(port.clusterIp()) + " " + proto
                    + " dport " + port.port() + " " + ip + " saddr != " + cidr + " jump mark-for-masquerade"));
            rules.addAll(balance(port, port.clusterEndpoints()));
            parts.serviceChains.add(new NftRuleset.Chain(serviceChain, Optional.empty(), rules));
            parts.serviceIps.add(clusterKey + " : goto " + serviceChain);
        }

        if (!port.hasExternalTraffic()) {
            return;
        }
        List<String> addressMap;
        List<String> nodePortMap;
        String verdict;
        if (port.externalEndpoints().isEmpty()) {
            // no endpoints at all: refuse; Local without a local endpoint: drop, as upstream
            verdict = port.clusterEndpoints().isEmpty() || !port.externalPolicyLocal() ? "goto reject-chain" : "drop";
            addressMap = parts.noEndpointServices;
            nodePortMap = parts.noEndpointNodePorts;
        } else {
            parts.serviceChains.add(externalChainRules(port, externalChain, serviceChain));
            verdict = "goto " + externalChain;
            addressMap = parts.serviceIps;
            nodePortMap = parts.serviceNodePorts;
        }
        for (InetAddress external : port.externalIps()) {
            addressMap.add(addr(external) + " . " + proto + " . " + port.port() + " : " + verdict);
        }
        if (port.nodePort() > 0) {
            nodePortMap.add(proto + " . " + port.nodePort() + " : " + verdict);
        }
    }

    private List<NftRuleset.Chain> baseChains() {
        String nodePortMatch = config.nodePortAddresses().isEmpty()
                ? "fib daddr type local " + ip + " daddr != " + loopback
                : ip + " daddr @nodeport-ips";
        return List.of(
                base("filter-input", "filter", "input", -110,
                        "ct state new jump nodeport-endpoints-check",
                        "ct state new jump service-endpoints-check"),
                base("filter-forward", "filter", "forward", -110,
                        "ct state new jump service-endpoints-check",
                        "ct state new jump cluster-ips-check"),
                base("filter-output", "filter", "output", -110,
                        "ct state new jump service-endpoints-check"),
                base("filter-output-post-dnat", "filter", "output", -90,
                        "ct state new jump cluster-ips-check"),
                base("nat-prerouting", "nat", "prerouting", -100, "jump services"),
                base("nat-output", "nat", "output", -100, "jump services"),
                base("nat-postrouting", "nat", "postrouting", 100, "jump masquerading"),
                regular("services",
                        ip + " daddr . meta l4proto . th dport vmap @service-ips",
                        nodePortMatch + " meta l4proto . th dport vmap @service-nodeports"),
                regular("service-endpoints-check",
                        ip + " daddr . meta l4proto . th dport vmap @no-endpoint-services"),
                regular("nodeport-endpoints-check",
                        nodePortMatch + " meta l4proto . th dport vmap @no-endpoint-nodeports"),
                regular("cluster-ips-check",
                        ip + " daddr @cluster-ips counter reject comment \"port not served by this ClusterIP\"",
                        ip + " daddr " + config.serviceCidr() + " counter reject comment \"unallocated ClusterIP\""),
                regular("mark-for-masquerade", "meta mark set meta mark or " + MASQUERADE_MARK),
                regular("masquerading",
                        "meta mark & " + MASQUERADE_MARK + " == 0 return",
                        "meta mark set meta mark xor " + MASQUERADE_MARK,
                        "masquerade fully-random"),
                regular("reject-chain", "reject"));
    }

    /** NodePort and external-address traffic. */
    private NftRuleset.Chain externalChainRules(ServicePortRules port, String chain, String serviceChain) {
        List<String> rules = new ArrayList<>();
        if (!port.externalPolicyLocal()) {
            rules.add("jump mark-for-masquerade");
        } else if (!port.clusterEndpoints().isEmpty()) {
            // pods and the node itself may use any endpoint: only outside clients keep their address
            config.clusterCidr().ifPresent(cidr -> rules.add(ip + " saddr " + cidr + " goto " + serviceChain));
            rules.add("fib saddr type local jump mark-for-masquerade");
            rules.add("fib saddr type local goto " + serviceChain);
        }
        rules.addAll(balance(port, port.externalEndpoints()));
        return new NftRuleset.Chain(chain, Optional.empty(), rules);
    }

    /** Affinity lookups, then a random pick among {@code endpoints} (never empty). */
    private List<String> balance(ServicePortRules port, List<ProxyEndpoint> endpoints) {
        List<String> rules = new ArrayList<>();
        if (port.affinityTimeout().isPresent()) {
            for (ProxyEndpoint endpoint : endpoints) {
                String chain = endpointChain(port, endpoint);
                rules.add(ip + " saddr @" + affinityName(chain) + " goto " + chain);
            }
        }
        List<String> choices = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            choices.add(i + " : goto " + endpointChain(port, endpoints.get(i)));
        }
        rules.add("numgen random mod " + endpoints.size() + " vmap { " + String.join(", ", choices) + " }");
        return rules;
    }

    private NftRuleset.Chain endpointChainRules(ServicePortRules port, ProxyEndpoint endpoint, String chain) {
        List<String> rules = new ArrayList<>();
        rules.add(ip + " saddr " + addr(endpoint.ip()) + " jump mark-for-masquerade");
        if (port.affinityTimeout().isPresent()) {
            rules.add("update @" + affinityName(chain) + " { " + ip + " saddr }");
        }
        rules.add("meta l4proto " + port.protocol().lower() + " dnat to " + endpoint.hostPort());
        return new NftRuleset.Chain(chain, Optional.empty(), rules);
    }

    private NftRuleset.NamedSet affinitySet(ServicePortRules port, ProxyEndpoint endpoint, Duration timeout) {
        return new NftRuleset.NamedSet(affinityName(endpointChain(port, endpoint)), false, addrType,
                List.of("dynamic", "timeout"), Optional.of(timeout), true, List.of());
    }

    private static String affinityName(String endpointChain) {
        return "affinity-" + endpointChain.substring("endpoint-".length());
    }

    private static String endpointChain(ServicePortRules port, ProxyEndpoint endpoint) {
        String path = chainPath(port) + "__" + nameSafe(endpoint.ip().getHostAddress()) + "/" + endpoint.port();
        return "endpoint-" + hash(path) + "-" + path;
    }

    /** {@code namespace/service/protocol/port}, the readable part of this port's chain names. */
    private static String chainPath(ServicePortRules port) {
        return port.name().path();
    }

    /** nft names take letters, digits and {@code / _ . -}: an IPv6 address's colons become dots. */
    private static String nameSafe(String text) {
        return text.replace(':', '.');
    }

    /** Eight hex digits of a SHA-256 of the readable name, so that names stay unique if ever shortened. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static List<ProxyEndpoint> union(List<ProxyEndpoint> a, List<ProxyEndpoint> b) {
        Set<ProxyEndpoint> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static String addr(InetAddress address) {
        return address.getHostAddress();
    }

    private static NftRuleset.NamedSet map(String name, String type, List<String> elements) {
        return new NftRuleset.NamedSet(name, true, type, List.of(), Optional.empty(), false, elements);
    }

    private static NftRuleset.Chain base(String name, String type, String hook, int priority, String... rules) {
        return new NftRuleset.Chain(name, Optional.of(new NftRuleset.Hook(type, hook, priority)), List.of(rules));
    }

    private static NftRuleset.Chain regular(String name, String... rules) {
        return new NftRuleset.Chain(name, Optional.empty(), List.of(rules));
    }
}
