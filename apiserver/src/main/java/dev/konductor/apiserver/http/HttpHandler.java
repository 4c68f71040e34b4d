package dev.konductor.apiserver.http;

/** Handles one request on a virtual thread; may block. */
@FunctionalInterface
public interface HttpHandler {
    void handle(HttpExchange exchange) throws Exception;
}
