package dev.konductor.proxy.ingress;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header rewriting of a reverse proxy (RFC 9110 section 7.6.1): hop-by-hop headers, and
 * whatever the {@code Connection} header names, stay on their hop; the backend learns who asked
 * and how through {@code X-Forwarded-For/-Proto/-Host/-Port} and {@code X-Real-Ip}. Forwarded
 * headers a client sent are replaced, not appended to: no client is trusted to say where a
 * request came from (as Traefik and ingress-nginx do by default).
 */
final class ForwardedHeaders {

    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.PROXY_AUTHENTICATE);
    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    static final String X_FORWARDED_PORT = "X-Forwarded-Port";
    static final String X_REAL_IP = "X-Real-Ip";

    private ForwardedHeaders() {
    }

    /**
     * The request head to send to a backend: HTTP/1.1 (for keep-alive), origin-form target,
     * the client's headers minus hop-by-hop ones and {@code Expect} (this proxy answers
     * {@code 100 Continue} itself), plus the forwarding headers. {@code Host} is kept as sent.
     */
    static HttpRequest request(HttpRequest from, String target, String clientAddress, String scheme, int localPort) {
        HttpHeaders headers = from.headers().copy();
        stripHopByHop(headers);
        headers.remove(HttpHeaderNames.EXPECT);
        String host = from.headers().get(HttpHeaderNames.HOST);
        headers.set(X_FORWARDED_FOR, clientAddress);
        headers.set(X_REAL_IP, clientAddress);
        headers.set(X_FORWARDED_PROTO, scheme);
        headers.set(X_FORWARDED_PORT, String.valueOf(localPort));
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        } else {
            headers.remove(X_FORWARDED_HOST);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, from.method(), target, headers);
    }

    /** Removes hop-by-hop headers, those the Connection header lists first. */
    static void stripHopByHop(HttpHeaders headers) {
        List<String> listed = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    listed.add(name);
                }
            }
        }
        listed.forEach(headers::remove);
        HOP_BY_HOP.forEach(headers::remove);
    }
}
