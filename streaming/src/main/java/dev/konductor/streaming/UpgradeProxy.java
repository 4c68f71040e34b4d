package dev.konductor.streaming;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Relays an HTTP upgrade (SPDY/3.1, WebSocket) to an upstream server and, once it switches
 * protocols, splices the two connections byte for byte: negotiation (stream protocol versions,
 * WebSocket subprotocols and keys) happens end to end, between the client and whoever serves
 * the stream. The API server relays to a kubelet this way, the kubelet to its runtime's
 * streaming server. A refusal (any status but 101) is handed back as an ordinary response.
 */
public final class UpgradeProxy {

    /** How long the upstream may take to answer the upgrade request; a stuck one must not hang a client. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /** The most of a refusal's body relayed (upstream's are a line of text or a Status). */
    static final int MAX_REFUSAL_BODY = 64 * 1024;

    /** The request headers an upgrade needs end to end; credentials and the rest stay behind. */
    private static final Set<String> RELAYED = Set.of("connection", "upgrade", "x-stream-protocol-version",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol");

    /** Opens the connection to the upstream server. */
    @FunctionalInterface
    public interface Dialer {
        SocketDuplex dial() throws IOException;
    }

    /** The client's side of a relayed upgrade. */
    public interface Downstream {
        /** The upstream refused: answer the client with this status and body. */
        void refused(Answer answer);

        /**
         * The upstream switched protocols: answer the client accordingly (for a plain relay,
         * with {@code answer}'s head as it is) and return its connection, now carrying raw bytes.
         */
        Duplex switched(Answer answer) throws IOException;
    }

    /** The upstream's answer to an upgrade request; {@code body} only for a refusal. */
    public record Answer(HttpHead head, byte[] body) {

        /** A refusal with a line of text, as upstream's kubelet and runtimes write theirs. */
        public static Answer text(int status, String message) {
            byte[] body = message.getBytes(StandardCharsets.UTF_8);
            return new Answer(HttpHead.response(status, reasonPhrase(status), List.of(
                    new HttpHead.Header("Content-Type", "text/plain; charset=utf-8"),
                    new HttpHead.Header("Content-Length", Integer.toString(body.length)))), body);
        }

        public boolean switched() {
            return head.status() == 101;
        }

        /** The status code. */
        public int status() {
            return head.status();
        }

        public String contentType() {
            String type = head.value("Content-Type");
            return type == null ? "text/plain; charset=utf-8" : type;
        }
    }

    private UpgradeProxy() {
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    /**
     * Dials upstream, sends {@code request}, answers {@code downstream}, then splices until
     * either side ends. Every connection is closed on return. An {@link IOException} means the
     * upstream could not be reached or broke before answering; the client has not been answered.
     */
    public static void forward(HttpHead request, Dialer dialer, Downstream downstream) throws IOException {
        SocketDuplex upstream = dialer.dial();
        boolean spliced = false;
        try {
            Answer answer = handshake(upstream, request);
            if (!answer.switched()) {
                downstream.refused(answer);
                return;
            }
            Duplex client = downstream.switched(answer);
            spliced = true;
            Splice.run(client, upstream);
        } finally {
            if (!spliced) {
                upstream.close();
            }
        }
    }

    /**
     * Sends an upgrade request and reads the answer: on 101 the connection carries the new
     * protocol from the next byte on; otherwise the refusal's body has been read.
     */
    public static Answer handshake(SocketDuplex upstream, HttpHead request) throws IOException {
        upstream.readTimeout(HANDSHAKE_TIMEOUT);
        upstream.output().write(request.encode());
        HttpHead head = HttpHead.read(upstream.input());
        if (head.status() == 101) {
            upstream.readTimeout(Duration.ZERO);
            return new Answer(head, new byte[0]);
        }
        return new Answer(head, body(upstream.input(), head));
    }

    /** The client's headers that travel with the upgrade, in their order, repeats kept. */
    public static List<HttpHead.Header> relayedHeaders(List<HttpHead.Header> clientHeaders) {
        List<HttpHead.Header> out = new ArrayList<>();
        for (HttpHead.Header h : clientHeaders) {
            if (RELAYED.contains(h.name().toLowerCase(Locale.ROOT))) {
                out.add(h);
            }
        }
        return out;
    }

    /** A refusal's body: by Content-Length, chunked, or up to the end of the connection. */
    static byte[] body(InputStream in, HttpHead head) throws IOException {
        String length = head.value("Content-Length");
        if (length != null && length.strip().matches("\\d{1,9}")) {
            return in.readNBytes(Math.min(MAX_REFUSAL_BODY, Integer.parseInt(length.strip())));
        }
        String encoding = head.value("Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return chunked(in);
        }
        return in.readNBytes(MAX_REFUSAL_BODY);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < MAX_REFUSAL_BODY) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(in.readNBytes(Math.min(size, MAX_REFUSAL_BODY - out.size())));
            line(in);
        }
        return out.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
