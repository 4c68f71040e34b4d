package dev.konductor.proxy.model;

/**
 * One port of one Service, as upstream's proxy names it: {@code namespace/service:port} (the
 * port's name, empty for a Service's only unnamed port) plus its protocol.
 */
public record ServicePortName(String namespace, String service, String port, Protocol protocol)
        implements Comparable<ServicePortName> {

    public ServicePortName {
        port = port == null ? "" : port;
    }

    /** {@code namespace/service/protocol/port}: readable, and the tail of the chain names of this port. */
    public String path() {
        return namespace + "/" + service + "/" + protocol.lower() + "/" + port;
    }

    @Override
    public int compareTo(ServicePortName other) {
        return path().compareTo(other.path());
    }

    @Override
    public String toString() {
        return namespace + "/" + service + (port.isEmpty() ? "" : ":" + port);
    }
}
