package dev.konductor.proxy.ingress;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link BackendPool} per event loop of the proxy. */
final class BackendPools {

    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Map<EventLoop, BackendPool> pools = new ConcurrentHashMap<>();

    BackendPools(Duration connectTimeout, Duration responseTimeout) {
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
    }

    /** The pool of {@code loop}; use it on that loop only. */
    BackendPool of(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new BackendPool(l, connectTimeout, responseTimeout));
    }
}
