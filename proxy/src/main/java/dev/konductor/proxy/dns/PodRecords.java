package dev.konductor.proxy.dns;

/** Whether {@code <a-b-c-d>.<ns>.pod.<zone>} names resolve, as CoreDNS's {@code pods} option says. */
public enum PodRecords {
    /** No pod names: NXDOMAIN under {@code pod.<zone>}. */
    DISABLED,
    /**
     * Any well-formed dashed address resolves to itself, in any namespace, without checking
     * that such a pod exists (CoreDNS's {@code pods insecure}, what kubeadm configures).
     */
    INSECURE
}
