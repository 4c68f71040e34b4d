package dev.konductor.scheduler.framework;

/** A host port a pod asks for: address (0.0.0.0 for all), protocol and number. */
public record HostPort(String ip, String protocol, int port) {

    public static final String ANY_IP = "0.0.0.0";

    public HostPort {
        ip = ip == null || ip.isEmpty() ? ANY_IP : ip;
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }

    /** Two uses of a port collide on the same protocol and number unless both name different addresses. */
    public boolean conflicts(HostPort other) {
        return port == other.port && protocol.equals(other.protocol)
                && (ip.equals(other.ip) || ip.equals(ANY_IP) || other.ip.equals(ANY_IP));
    }
}
