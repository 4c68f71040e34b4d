package dev.konductor.proxy.ingress;

import java.net.InetSocketAddress;

/** Where a request goes, decided per request from the current routing rules. Thread-safe. */
@FunctionalInterface
interface Router {

    /** The route for a request with Host header {@code host} (may be null) and {@code path} (no query). */
    Route route(String host, String path);

    /** A routing decision. */
    sealed interface Route {
    }

    /** Send it to {@code address}, one endpoint of {@code backend}. */
    record Forward(InetSocketAddress address, String backend) implements Route {
    }

    /** Answer it here: 404 when no rule matched, 503 when the backend has no ready endpoint. */
    record Reject(int status, String message) implements Route {
    }
}
