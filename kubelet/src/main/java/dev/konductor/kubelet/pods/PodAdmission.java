package dev.konductor.kubelet.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the node checks before it runs a pod at all, as upstream's kubelet admission handlers: a
 * rejected pod never starts; it fails with the reason and {@code Pod was rejected: ...}. For now
 * the sysctls: only upstream's safe ones, each in a namespace the pod has of its own. Pure.
 */
final class PodAdmission {

    /** Why a pod may not run here: its status reason and what the rejection says. */
    record Rejection(String reason, String message) {
    }

    static final String SYSCTL_FORBIDDEN = "SysctlForbidden";

    /** Upstream's safe sysctls (kubelet 1.32), with the namespace each belongs to. */
    private static final Map<String, String> SAFE_SYSCTLS = Map.ofEntries(
            Map.entry("kernel.shm_rmid_forced", "ipc"),
            Map.entry("net.ipv4.ip_local_port_range", "net"),
            Map.entry("net.ipv4.tcp_syncookies", "net"),
            Map.entry("net.ipv4.ping_group_range", "net"),
            Map.entry("net.ipv4.ip_unprivileged_port_start", "net"),
            Map.entry("net.ipv4.ip_local_reserved_ports", "net"),
            Map.entry("net.ipv4.tcp_keepalive_time", "net"),
            Map.entry("net.ipv4.tcp_fin_timeout", "net"),
            Map.entry("net.ipv4.tcp_keepalive_intvl", "net"),
            Map.entry("net.ipv4.tcp_keepalive_probes", "net"),
            Map.entry("net.ipv4.tcp_rmem", "net"),
            Map.entry("net.ipv4.tcp_wmem", "net"));

    private PodAdmission() {
    }

    static Optional<Rejection> check(Pod pod) {
        for (Sysctl sysctl : sysctls(pod)) {
            Optional<String> why = sysctlProblem(pod, normalized(sysctl.getName()));
            if (why.isPresent()) {
                return Optional.of(new Rejection(SYSCTL_FORBIDDEN, "forbidden sysctl: " + why.get()));
            }
        }
        return Optional.empty();
    }

    static List<Sysctl> sysctls(Pod pod) {
        PodSecurityContext context = pod.getSpec().getSecurityContext();
        return context == null || context.getSysctls() == null ? List.of() : context.getSysctls();
    }

    /**
     * A sysctl may be written with slashes ({@code net/ipv4/conf/eno2.100/rp_filter}): when its first
     * separator is one, dots and slashes swap, as upstream normalizes the name.
     */
    static String normalized(String name) {
        int dot = name.indexOf('.');
        int slash = name.indexOf('/');
        if (slash < 0 || (dot >= 0 && dot < slash)) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            out.append(c == '.' ? '/' : c == '/' ? '.' : c);
        }
        return out.toString();
    }

    private static Optional<String> sysctlProblem(Pod pod, String name) {
        String namespace = SAFE_SYSCTLS.get(name);
        if (namespace == null) {
            return Optional.of("\"" + name + "\" not allowlisted");
        }
        boolean host = namespace.equals("net") ? Boolean.TRUE.equals(pod.getSpec().getHostNetwork())
                : Boolean.TRUE.equals(pod.getSpec().getHostIPC());
        return host ? Optional.of("\"" + name + "\" not allowed with host " + namespace + " enabled") : Optional.empty();
    }
}
