package dev.konductor.apiserver.streaming;

import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.http.WebSocketSession;
import dev.konductor.streaming.ChannelDuplex;
import dev.konductor.streaming.Duplex;
import dev.konductor.streaming.HttpHead;
import dev.konductor.streaming.StreamProtocols;
import dev.konductor.streaming.UpgradeProxy;
import dev.konductor.streaming.remotecommand.StreamOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a pod's exec, attach or port-forward session from the client to the pod's kubelet,
 * choosing how by what the client speaks:
 * <ul>
 *   <li>WebSocket {@code v5.channel.k8s.io} (kubectl 1.30+ exec and attach): translated to SPDY
 *       streams here ({@link ExecTranslator}), since runtimes serve v4 at most;
 *   <li>WebSocket {@code SPDY/3.1+portforward.k8s.io} (kubectl 1.31+ port-forward): a SPDY
 *       upgrade towards the kubelet, whose bytes travel in binary messages ({@link WebSocketDuplex});
 *   <li>any other upgrade (SPDY/3.1 from every kubectl, WebSocket v4 from the Python client):
 *       relayed as it is, so the client and the runtime negotiate between themselves.
 * </ul>
 */
public final class StreamProxy {

    private static final Logger log = LoggerFactory.getLogger(StreamProxy.class);

    public enum Kind { EXEC, ATTACH, PORT_FORWARD }

    private StreamProxy() {
    }

    /** Serves the session to its end; a request that cannot be served throws a {@link StatusException}. */
    public static void serve(HttpExchange exchange, Kind kind, StreamOptions options, KubeletStream kubelet) {
        List<String> offered = exchange.isWebSocketRequest() ? exchange.webSocketProtocols() : List.of();
        log.debug("stream start session={} kubelet={} offered={}", kubelet.session(), kubelet.kubelet(), offered);
        if (kind != Kind.PORT_FORWARD && offered.contains(StreamProtocols.REMOTECOMMAND_V5)) {
            ExecTranslator.run(exchange, kubelet, options);
        } else if (kind == Kind.PORT_FORWARD && !tunnelled(offered).isEmpty()) {
            relay(exchange, spdyRequest(kubelet, tunnelled(offered)), kubelet, new Tunnel(exchange));
        } else if (exchange.isUpgradeRequest()) {
            List<HttpHead.Header> headers = new ArrayList<>();
            headers.add(new HttpHead.Header("Host", kubelet.kubelet()));
            headers.addAll(UpgradeProxy.relayedHeaders(exchange.headerLines()));
            relay(exchange, HttpHead.request(exchange.method(), kubelet.target(), headers), kubelet, new Relay(exchange));
        } else {
            throw StatusException.badRequest("Upgrade request required");
        }
        log.debug("stream end session={}", kubelet.session());
    }

    private static void relay(HttpExchange exchange, HttpHead request, KubeletStream kubelet,
                              UpgradeProxy.Downstream downstream) {
        try {
            UpgradeProxy.forward(request, kubelet.dialer(), downstream);
        } catch (IOException e) {
            if (exchange.responded()) {
                log.debug("session={} ended: {}", kubelet.session(), e.toString());
                return;
            }
            throw dialError(kubelet, e);
        }
    }

    /** The stream protocols a client offers to tunnel in WebSocket ({@code SPDY/3.1+portforward.k8s.io}). */
    static List<String> tunnelled(List<String> offered) {
        return offered.stream().filter(p -> p.startsWith(StreamProtocols.SPDY_TUNNEL_PREFIX) && p.endsWith(".k8s.io"))
                .map(p -> p.substring(StreamProtocols.SPDY_TUNNEL_PREFIX.length())).toList();
    }

    private static HttpHead spdyRequest(KubeletStream kubelet, List<String> protocols) {
        List<HttpHead.Header> headers = new ArrayList<>(List.of(
                new HttpHead.Header("Host", kubelet.kubelet()),
                new HttpHead.Header("Connection", "Upgrade"),
                new HttpHead.Header("Upgrade", StreamProtocols.SPDY_31),
                new HttpHead.Header("Content-Length", "0")));
        protocols.forEach(p -> headers.add(new HttpHead.Header(StreamProtocols.VERSION_HEADER, p)));
        return HttpHead.request("POST", kubelet.target(), headers);
    }

    /** Upstream's words for a kubelet that cannot be reached: a 500 without a reason, as kubectl shows it. */
    static StatusException dialError(KubeletStream kubelet, IOException e) {
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().toLowerCase(Locale.ROOT);
        return new StatusException(500, "", "error dialing backend: dial tcp " + kubelet.kubelet() + ": " + cause,
                null, null, null, null, null);
    }

    /** The client's connection answered with the kubelet's own head, then carrying raw bytes. */
    private record Relay(HttpExchange exchange) implements UpgradeProxy.Downstream {
        @Override
        public void refused(UpgradeProxy.Answer answer) {
            exchange.respond(answer.status(), answer.contentType(), answer.body());
        }

        @Override
        public Duplex switched(UpgradeProxy.Answer answer) throws IOException {
            ChannelDuplex duplex = exchange.takeOver();
            try {
                duplex.output().write(answer.head().encode());
            } catch (IOException e) {
                duplex.close();
                throw e;
            }
            return duplex;
        }
    }

    /** The client's WebSocket, opened with the tunnelled protocol the kubelet chose. */
    private record Tunnel(HttpExchange exchange) implements UpgradeProxy.Downstream {
        @Override
        public void refused(UpgradeProxy.Answer answer) {
            // kubectl then falls back to plain SPDY, which meets the same refusal and prints it
            exchange.respond(answer.status(), answer.contentType(), answer.body());
        }

        @Override
        public Duplex switched(UpgradeProxy.Answer answer) {
            String chosen = answer.head().value(StreamProtocols.VERSION_HEADER);
            WebSocketSession session = exchange.upgradeToWebSocket(chosen == null ? null
                    : StreamProtocols.SPDY_TUNNEL_PREFIX + chosen.strip());
            return new WebSocketDuplex(session);
        }
    }
}
