package dev.konductor.kubelet.pods;

import io.fabric8.kubernetes.api.model.HostAlias;
import java.util.List;
import java.util.Optional;

/**
 * The {@code /etc/hosts} the kubelet gives a pod's containers, as upstream's writes it: for a
 * pod on the pod network, the localhost entries and the pod's own addresses under its hostname
 * (and its FQDN with a subdomain); for a host-network pod, the node's own file under a header;
 * then the pod's {@code hostAliases}. Pure.
 */
final class EtcHosts {

    static final String HEADER = "# Kubernetes-managed hosts file.\n";
    static final String HOST_NETWORK_HEADER = "# Kubernetes-managed hosts file (host network).\n";

    private EtcHosts() {
    }

    /** @param domain the pod's domain ({@code sub.ns.svc.cluster.local}), empty without a subdomain */
    static String managed(List<String> podIps, String hostname, String domain, List<HostAlias> aliases) {
        StringBuilder out = new StringBuilder(HEADER)
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\n")
                .append("fe00::1\tip6-allnodes\n")
                .append("fe00::2\tip6-allrouters\n");
        for (String ip : podIps) {
            if (domain.isEmpty()) {
                out.append(ip).append('\t').append(hostname).append('\n');
            } else {
                out.append(ip).append('\t').append(hostname).append('.').append(domain).append('\t').append(hostname).append('\n');
            }
        }
        return out.append(aliases(aliases)).toString();
    }

    static String hostNetwork(String nodeHosts, List<HostAlias> aliases) {
        return HOST_NETWORK_HEADER + nodeHosts + aliases(aliases);
    }

    private static String aliases(List<HostAlias> aliases) {
        if (aliases == null || aliases.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n# Entries added by HostAliases.\n");
        for (HostAlias alias : aliases) {
            List<String> names = Optional.ofNullable(alias.getHostnames()).orElse(List.of());
            out.append(alias.getIp()).append('\t').append(String.join("\t", names)).append('\n');
        }
        return out.toString();
    }
}
