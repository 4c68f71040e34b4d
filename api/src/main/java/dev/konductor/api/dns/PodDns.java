package dev.konductor.api.dns;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The resolv.conf a pod's containers get, computed as the kubelet does from the pod's
 * {@code dnsPolicy} and {@code dnsConfig}, the node's cluster DNS settings and the host's own
 * resolv.conf. Pure: the caller writes the file and records the returned warnings as Events.
 *
 * <ul>
 *   <li>{@code ClusterFirst} (the default; for a host-network pod it means {@code Default}) and
 *       {@code ClusterFirstWithHostNet}: only the cluster DNS servers, the search list
 *       {@code <ns>.svc.<domain> svc.<domain> <domain>} followed by the host's, and
 *       {@code options ndots:5}. Without a cluster DNS address the kubelet warns and falls back to
 *       {@code Default}.
 *   <li>{@code Default}: the host's resolv.conf.
 *   <li>{@code None}: nothing but the pod's {@code dnsConfig}.
 * </ul>
 * Then {@code dnsConfig} is appended (name servers and searches without duplicates; options by
 * name, the pod's value winning), and upstream's limits are applied: 3 name servers, 32 search
 * paths, none longer than 253 characters, 2048 characters in the whole search line.
 */
public final class PodDns {

    public static final String CLUSTER_FIRST = "ClusterFirst";
    public static final String CLUSTER_FIRST_WITH_HOST_NET = "ClusterFirstWithHostNet";
    public static final String DEFAULT = "Default";
    public static final String NONE = "None";

    static final int MAX_NAMESERVERS = 3;
    static final int MAX_SEARCH_PATHS = 32;
    static final int MAX_SEARCH_PATH_LENGTH = 253;
    static final int MAX_SEARCH_LINE_CHARS = 2048;
    static final List<String> CLUSTER_OPTIONS = List.of("ndots:5");

    private PodDns() {
    }

    /**
     * How a node resolves names.
     *
     * @param clusterDns    the cluster DNS server addresses (the kubelet's {@code clusterDNS}); may be empty
     * @param clusterDomain the cluster domain without trailing dot, e.g. {@code cluster.local}; may be empty
     * @param host          the host's resolv.conf; empty when the kubelet was told to use none
     *                      ({@code --resolv-conf=""}), in which case pods on the host's DNS get the
     *                      local resolver only
     * @param nodeIps       the node's addresses, which choose 127.0.0.1 and/or ::1 in that case
     */
    public record Node(List<String> clusterDns, String clusterDomain, Optional<ResolvConf> host, List<String> nodeIps) {
        public Node {
            clusterDns = List.copyOf(clusterDns);
            clusterDomain = clusterDomain == null ? "" : clusterDomain;
            nodeIps = List.copyOf(nodeIps);
        }
    }

    /** Where an event goes: the kubelet records some on the pod, some on its Node. */
    public enum Subject { POD, NODE }

    /** A Warning event the kubelet records about what it had to change. */
    public record Warning(Subject subject, String reason, String message) {
    }

    public record Result(ResolvConf resolvConf, List<Warning> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    public static Result forPod(Pod pod, Node node) {
        PodSpec spec = pod.getSpec();
        List<Warning> warnings = new ArrayList<>();
        ResolvConf host = node.host().orElseGet(() -> localResolverOnly(node.nodeIps()));
        Source source = source(spec);
        if (source == Source.CLUSTER && node.clusterDns().isEmpty()) {
            String message = "kubelet does not have ClusterDNS IP configured and cannot create Pod using \""
                    + CLUSTER_FIRST + "\" policy. Falling back to \"" + DEFAULT + "\" policy.";
            warnings.add(new Warning(Subject.NODE, "MissingClusterDNS", message));
            warnings.add(new Warning(Subject.POD, "MissingClusterDNS", "pod: \"" + podDescription(pod) + "\". " + message));
            source = Source.HOST;
        }
        ResolvConf base = switch (source) {
            case NONE -> ResolvConf.EMPTY;
            case CLUSTER -> new ResolvConf(node.clusterDns(),
                    clusterSearches(pod.getMetadata().getNamespace(), node.clusterDomain(), host.searches()), CLUSTER_OPTIONS);
            case HOST -> host;
        };
        List<String> nameservers = base.nameservers();
        List<String> searches = base.searches();
        List<String> options = base.options();
        PodDNSConfig extra = spec.getDnsConfig();
        if (extra != null) {
            nameservers = distinct(nameservers, extra.getNameservers());
            searches = distinct(searches, extra.getSearches());
            options = ResolvConf.mergeOptions(options, optionStrings(extra.getOptions()));
        }
        nameservers = fitNameservers(nameservers, warnings);
        searches = fitSearches(searches, warnings);
        return new Result(new ResolvConf(nameservers, searches, options), warnings);
    }

    /** Where a pod's resolver settings start from, before its {@code dnsConfig}. */
    enum Source { CLUSTER, HOST, NONE }

    static Source source(PodSpec spec) {
        String policy = spec.getDnsPolicy() == null || spec.getDnsPolicy().isEmpty() ? CLUSTER_FIRST : spec.getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        return switch (policy) {
            case NONE -> Source.NONE;
            case CLUSTER_FIRST_WITH_HOST_NET -> Source.CLUSTER;
            // a host-network pod shares the host's resolver unless it asks otherwise
            case CLUSTER_FIRST -> hostNetwork ? Source.HOST : Source.CLUSTER;
            default -> Source.HOST;
        };
    }

    static List<String> clusterSearches(String namespace, String clusterDomain, List<String> hostSearches) {
        if (clusterDomain.isEmpty()) {
            return hostSearches;
        }
        List<String> searches = List.of(namespace + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain);
        return distinct(searches, hostSearches);
    }

    /** What the kubelet gives host-DNS pods when it has no resolv.conf: the node's own resolver. */
    private static ResolvConf localResolverOnly(List<String> nodeIps) {
        List<String> nameservers = new ArrayList<>();
        for (String ip : nodeIps) {
            nameservers.add(ip.contains(":") ? "::1" : "127.0.0.1");
        }
        if (nameservers.isEmpty()) {
            nameservers.add("127.0.0.1");
        }
        return new ResolvConf(distinct(nameservers, List.of()), List.of("."), List.of());
    }

    private static List<String> fitNameservers(List<String> nameservers, List<Warning> warnings) {
        if (nameservers.size() <= MAX_NAMESERVERS) {
            return nameservers;
        }
        List<String> kept = nameservers.subList(0, MAX_NAMESERVERS);
        warnings.add(new Warning(Subject.POD, "DNSConfigForming",
                "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: "
                        + String.join(" ", kept)));
        return kept;
    }

    private static List<String> fitSearches(List<String> searches, List<Warning> warnings) {
        boolean exceeded = searches.size() > MAX_SEARCH_PATHS;
        List<String> kept = new ArrayList<>();
        for (String search : searches.subList(0, Math.min(searches.size(), MAX_SEARCH_PATHS))) {
            if (search.length() > MAX_SEARCH_PATH_LENGTH) {
                // some resolvers (glibc 2.28) abort on a search path past 255 characters
                exceeded = true;
            } else {
                kept.add(search);
            }
        }
        // drop whole paths from the end until the line fits
        while (!kept.isEmpty() && String.join(" ", kept).length() > MAX_SEARCH_LINE_CHARS) {
            kept.removeLast();
            exceeded = true;
        }
        if (exceeded) {
            warnings.add(new Warning(Subject.POD, "DNSConfigForming",
                    "Search Line limits were exceeded, some search paths have been omitted, the applied search line is: "
                            + String.join(" ", kept)));
        }
        return kept;
    }

    private static List<String> optionStrings(List<PodDNSConfigOption> options) {
        List<String> out = new ArrayList<>();
        if (options != null) {
            for (PodDNSConfigOption option : options) {
                String value = option.getValue();
                out.add(value == null || value.isEmpty() ? option.getName() : option.getName() + ":" + value);
            }
        }
        return out;
    }

    private static List<String> distinct(List<String> first, List<String> second) {
        LinkedHashSet<String> all = new LinkedHashSet<>(first);
        if (second != null) {
            all.addAll(second);
        }
        return List.copyOf(all);
    }

    /** How upstream names a pod in messages: {@code name_namespace(uid)}. */
    private static String podDescription(Pod pod) {
        var meta = pod.getMetadata();
        return meta.getName() + "_" + meta.getNamespace() + "(" + meta.getUid() + ")";
    }
}
