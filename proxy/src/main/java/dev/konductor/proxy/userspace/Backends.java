package dev.konductor.proxy.userspace;

import dev.konductor.proxy.model.ProxyEndpoint;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The endpoints behind one listener and the choice among them: round-robin, or sticky per client
 * address for {@code sessionAffinity: ClientIP}. The endpoint list is swapped as a whole when the
 * informers change it; a client whose sticky endpoint is gone is rebalanced.
 */
final class Backends {

    private record Sticky(ProxyEndpoint endpoint, long lastUsedNanos) {
    }

    private final AtomicInteger next = new AtomicInteger();
    private final Map<InetAddress, Sticky> affinity = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private volatile List<ProxyEndpoint> endpoints = List.of();
    private volatile Optional<Duration> affinityTimeout = Optional.empty();

    Backends(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    void update(List<ProxyEndpoint> endpoints, Optional<Duration> affinityTimeout) {
        this.endpoints = List.copyOf(endpoints);
        this.affinityTimeout = affinityTimeout;
        if (affinityTimeout.isEmpty()) {
            affinity.clear();
        } else {
            affinity.values().removeIf(sticky -> !endpoints.contains(sticky.endpoint()));
        }
    }

    boolean isEmpty() {
        return endpoints.isEmpty();
    }

    /**
     * The endpoints to try for a connection from {@code client}, best first: the sticky one (if
     * any, and still alive), then the rest in round-robin order. Empty when there are none.
     */
    List<ProxyEndpoint> order(InetAddress client) {
        List<ProxyEndpoint> current = endpoints;
        if (current.isEmpty()) {
            return List.of();
        }
        int start = Math.floorMod(next.getAndIncrement(), current.size());
        List<ProxyEndpoint> order = new ArrayList<>(current.size());
        Optional<Duration> timeout = affinityTimeout;
        if (timeout.isPresent()) {
            Sticky sticky = affinity.get(client);
            long now = nanoTime.getAsLong();
            if (sticky != null && now - sticky.lastUsedNanos() <= timeout.get().toNanos()
                    && current.contains(sticky.endpoint())) {
                order.add(sticky.endpoint());
            }
        }
        for (int i = 0; i < current.size(); i++) {
            ProxyEndpoint candidate = current.get((start + i) % current.size());
            if (!order.contains(candidate)) {
                order.add(candidate);
            }
        }
        return order;
    }

    /** Records that {@code client} was served by {@code endpoint} (for session affinity). */
    void used(InetAddress client, ProxyEndpoint endpoint) {
        if (affinityTimeout.isPresent()) {
            affinity.put(client, new Sticky(endpoint, nanoTime.getAsLong()));
        }
    }
}
