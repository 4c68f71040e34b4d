package dev.konductor.apiserver.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.http.WebSocketSession;
import dev.konductor.streaming.HttpHead;
import dev.konductor.streaming.InboundQueue;
import dev.konductor.streaming.SocketDuplex;
import dev.konductor.streaming.StreamProtocols;
import dev.konductor.streaming.UpgradeProxy;
import dev.konductor.streaming.remotecommand.StreamOptions;
import dev.konductor.streaming.remotecommand.V5Bridge;
import dev.konductor.streaming.spdy.SpdyDecoder;
import dev.konductor.streaming.spdy.SpdyEncoder;
import dev.konductor.streaming.spdy.SpdyFrame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * exec and attach for WebSocket clients speaking {@code v5.channel.k8s.io} (kubectl 1.30+),
 * which container runtimes do not serve: the WebSocket ends here and the session goes on to the
 * kubelet as SPDY {@code v4.channel.k8s.io} streams ({@link V5Bridge}), as upstream's API server
 * has done since 1.30. The session's outcome, the runtime's exit-code Status or any failure on
 * the way, reaches the client as one message on the error channel, which kubectl prints.
 *
 * <p>Two virtual threads per session: this one reads the kubelet, a pump feeds the client's
 * messages to it. Whichever side ends first closes the other; every connection, codec and
 * thread is released on every path.
 */
final class ExecTranslator {

    private static final Logger log = LoggerFactory.getLogger(ExecTranslator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}".getBytes(StandardCharsets.UTF_8);

    private final WebSocketSession client;
    private final InboundQueue fromClient;
    private final KubeletStream kubelet;
    private final V5Bridge bridge;
    private final SpdyEncoder encoder = new SpdyEncoder();

    private ExecTranslator(WebSocketSession client, KubeletStream kubelet, StreamOptions options) {
        this.client = client;
        this.fromClient = new InboundQueue(client::reading);
        this.kubelet = kubelet;
        this.bridge = new V5Bridge(options);
        client.listen(new WebSocketSession.Listener() {
            @Override
            public void onBinary(byte[] data) {
                fromClient.offer(data);
            }

            @Override
            public void onClose(int code, String reason) {
                fromClient.end();
            }
        });
        if (!client.isOpen()) {
            fromClient.end();
        }
    }

    /** Answers the client's WebSocket and runs the session to its end. */
    static void run(HttpExchange exchange, KubeletStream kubelet, StreamOptions options) {
        WebSocketSession client = exchange.upgradeToWebSocket(StreamProtocols.REMOTECOMMAND_V5);
        ExecTranslator translator = new ExecTranslator(client, kubelet, options);
        byte[] status;
        try {
            status = translator.translate();
        } catch (RuntimeException e) {
            log.error("session={} failed: {}", kubelet.session(), e.toString(), e);
            status = status(StatusException.internal(e.toString()));
        } finally {
            translator.encoder.close();
            translator.fromClient.discard();
        }
        client.sendBinary(V5Bridge.errorMessage(status));
        client.close(WebSocketSession.NORMAL_CLOSURE, "");
    }

    /** The session, from dialing the kubelet to its end; returns the Status for the error channel. */
    private byte[] translate() {
        SocketDuplex upstream;
        try {
            upstream = kubelet.dialer().dial();
        } catch (IOException e) {
            return status(StreamProxy.dialError(kubelet, e));
        }
        try (upstream; SpdyDecoder decoder = new SpdyDecoder()) {
            UpgradeProxy.Answer answer = UpgradeProxy.handshake(upstream, spdyUpgrade());
            if (!answer.switched()) {
                return status(StatusException.internal("unable to upgrade connection: "
                        + new String(answer.body(), StandardCharsets.UTF_8).strip()));
            }
            String protocol = answer.head().value(StreamProtocols.VERSION_HEADER);
            if (!StreamProtocols.REMOTECOMMAND_V4.equals(protocol)) {
                return status(StatusException.internal("the kubelet chose stream protocol " + protocol + ", not "
                        + StreamProtocols.REMOTECOMMAND_V4));
            }
            send(upstream, bridge.open());
            Thread pump = Thread.ofVirtual().name("exec-stdin").start(() -> pumpClient(upstream));
            IOException lost = null;
            try {
                readKubelet(upstream.input(), decoder, upstream);
            } catch (IOException e) {
                lost = e;
            } finally {
                upstream.close();
                fromClient.discard();
                join(pump);
            }
            byte[] errorStream = bridge.errorStream();
            if (errorStream.length > 0) {
                return errorStream;
            }
            if (bridge.finished()) {
                return SUCCESS;
            }
            return status(StatusException.internal("error reading from error stream: "
                    + (lost == null ? "connection closed" : lost.getMessage())));
        } catch (IOException e) {
            return status(StatusException.internal("unable to upgrade connection: " + e.getMessage()));
        }
    }

    private HttpHead spdyUpgrade() {
        return HttpHead.request("POST", kubelet.target(), List.of(
                new HttpHead.Header("Host", kubelet.kubelet()),
                new HttpHead.Header("Connection", "Upgrade"),
                new HttpHead.Header("Upgrade", StreamProtocols.SPDY_31),
                new HttpHead.Header(StreamProtocols.VERSION_HEADER, StreamProtocols.REMOTECOMMAND_V4),
                new HttpHead.Header("Content-Length", "0")));
    }

    /** Frames from the kubelet until it has ended its side; the client's output goes out as it comes. */
    private void readKubelet(InputStream in, SpdyDecoder decoder, SocketDuplex upstream) throws IOException {
        byte[] buffer = new byte[32 * 1024];
        while (!bridge.finished()) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            for (SpdyFrame frame : decoder.decode(buffer, 0, n)) {
                V5Bridge.Reaction reaction = bridge.fromServer(frame);
                for (byte[] message : reaction.toClient()) {
                    if (!client.sendBinary(message)) {
                        throw new IOException("the client went away");
                    }
                }
                send(upstream, reaction.toServer());
            }
        }
    }

    /** The client's messages to the kubelet until the client goes; then the session is over. */
    private void pumpClient(SocketDuplex upstream) {
        try {
            for (byte[] message; (message = fromClient.take()) != null; ) {
                send(upstream, bridge.fromClient(message));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("session={} kubelet write failed: {}", kubelet.session(), e.toString());
        }
        upstream.close(); // unblocks the reader if the kubelet still has the session open
    }

    /** Writes frames in order; the encoder's header compression makes this the one writer. */
    private void send(SocketDuplex upstream, List<SpdyFrame> frames) throws IOException {
        if (frames.isEmpty()) {
            return;
        }
        synchronized (encoder) {
            for (SpdyFrame frame : frames) {
                upstream.output().write(encoder.encode(frame));
            }
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] status(StatusException e) {
        ObjectNode status = e.toStatus();
        try {
            return JSON.writeValueAsBytes(status);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
