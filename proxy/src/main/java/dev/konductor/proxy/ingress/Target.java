package dev.konductor.proxy.ingress;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Where the proxy sends a request that a rule matched: ready endpoints, or why there are none. */
sealed interface Target {

    /** A human-readable name for logs and error pages: {@code namespace/service:port}. */
    String name();

    /**
     * The ready endpoints of one Service port, taken in turn. The cursor belongs to the
     * Service port, not to this snapshot, so round-robin carries on across route-table rebuilds.
     */
    record Endpoints(String name, List<InetSocketAddress> addresses, AtomicInteger cursor) implements Target {

        public Endpoints {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("no endpoints for " + name);
            }
        }

        InetSocketAddress next() {
            return addresses.get(Math.floorMod(cursor.getAndIncrement(), addresses.size()));
        }
    }

    /** Nothing to send to (answered with 503): no such Service or port, or no ready endpoint. */
    record Unavailable(String name, String reason) implements Target {
    }
}
