package dev.konductor.proxy.networkpolicy;

import dev.konductor.proxy.model.Protocol;

/**
 * Destination ports {@code first} to {@code last} (both included) of one protocol: a numeric
 * port, a resolved named port, a {@code port}–{@code endPort} range, or every port of the
 * protocol (0–65535) when a rule names only the protocol.
 */
public record PortRange(Protocol protocol, int first, int last) implements Comparable<PortRange> {

    public static final int MAX_PORT = 65535;

    public PortRange {
        if (first < 0 || last > MAX_PORT || first > last) {
            throw new IllegalArgumentException("not a port range: " + first + "-" + last);
        }
    }

    public static PortRange single(Protocol protocol, int port) {
        return new PortRange(protocol, port, port);
    }

    public static PortRange all(Protocol protocol) {
        return new PortRange(protocol, 0, MAX_PORT);
    }

    /** As an element of a {@code meta l4proto . th dport} set: {@code tcp . 80} or {@code tcp . 8000-8100}. */
    public String element() {
        return protocol.lower() + " . " + (first == last ? Integer.toString(first) : first + "-" + last);
    }

    @Override
    public int compareTo(PortRange other) {
        int byProtocol = protocol.compareTo(other.protocol);
        return byProtocol != 0 ? byProtocol : Integer.compare(first, other.first);
    }
}
