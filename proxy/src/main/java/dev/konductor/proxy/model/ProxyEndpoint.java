package dev.konductor.proxy.model;

import java.net.InetAddress;

/**
 * An endpoint that gets traffic for a Service port.
 *
 * @param ip    the pod's (or whatever the slice lists) address
 * @param port  the target port number
 * @param local whether it runs on this proxy's node
 */
public record ProxyEndpoint(InetAddress ip, int port, boolean local) implements Comparable<ProxyEndpoint> {

    /** {@code ip:port}, with brackets around an IPv6 address. */
    public String hostPort() {
        String host = ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public int compareTo(ProxyEndpoint other) {
        int byIp = java.util.Arrays.compare(ip.getAddress(), other.ip.getAddress());
        return byIp != 0 ? byIp : Integer.compare(port, other.port);
    }
}
