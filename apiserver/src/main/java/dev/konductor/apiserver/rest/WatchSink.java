package dev.konductor.apiserver.rest;

import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.http.WebSocketSession;

/**
 * Where a watch's events go: a chunked HTTP response with one JSON event per line, or, when the
 * client asked for a WebSocket upgrade (fabric8 and other clients do), one WebSocket text message
 * per event, as upstream's watch server frames them.
 */
interface WatchSink extends AutoCloseable {

    /** Sends one encoded event (JSON ending in a newline); false once the client is gone. */
    boolean send(byte[] event);

    /**
     * Sends encoded events, in order, with one flush: each still its own line or message, but
     * one TLS record and one wake-up of the connection's event loop instead of one per event.
     */
    boolean sendAll(java.util.List<byte[]> events);

    boolean isOpen();

    @Override
    void close();

    static WatchSink open(HttpExchange exchange) {
        if (exchange.isWebSocketRequest()) {
            // watches speak no subprotocol of their own; echo the client's first, if any, so it accepts the upgrade
            String offered = exchange.webSocketProtocols().stream().findFirst().orElse(null);
            return new WebSocketWatch(exchange.upgradeToWebSocket(offered));
        }
        return new ChunkedWatch(exchange.startStream(200, Responses.JSON), exchange);
    }

    record ChunkedWatch(HttpExchange.ResponseStream stream, HttpExchange exchange) implements WatchSink {
        @Override
        public boolean send(byte[] event) {
            return stream.write(event);
        }

        @Override
        public boolean sendAll(java.util.List<byte[]> events) {
            if (events.size() == 1) {
                return send(events.getFirst());
            }
            int length = 0;
            for (byte[] event : events) {
                length += event.length;
            }
            byte[] chunk = new byte[length];
            int at = 0;
            for (byte[] event : events) {
                System.arraycopy(event, 0, chunk, at, event.length);
                at += event.length;
            }
            return stream.write(chunk);
        }

        @Override
        public boolean isOpen() {
            return exchange.isOpen();
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    record WebSocketWatch(WebSocketSession session) implements WatchSink {
        @Override
        public boolean send(byte[] event) {
            return session.sendText(event);
        }

        @Override
        public boolean sendAll(java.util.List<byte[]> events) {
            return session.sendTexts(events);
        }

        @Override
        public boolean isOpen() {
            return session.isOpen();
        }

        @Override
        public void close() {
            session.close(WebSocketSession.NORMAL_CLOSURE, "");
        }
    }
}
