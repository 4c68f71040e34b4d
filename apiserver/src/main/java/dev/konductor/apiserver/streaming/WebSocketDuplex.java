package dev.konductor.apiserver.streaming;

import dev.konductor.apiserver.http.WebSocketSession;
import dev.konductor.streaming.Duplex;
import dev.konductor.streaming.InboundQueue;
import dev.konductor.streaming.QueueInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A WebSocket carrying a byte stream in its binary messages, as kubectl 1.31+ tunnels SPDY for
 * port-forward ({@code SPDY/3.1+portforward.k8s.io}): message boundaries mean nothing, each
 * write goes out as one message. The client's close, or the connection's loss, is the end.
 */
final class WebSocketDuplex implements Duplex {

    private final WebSocketSession session;
    private final InboundQueue inbound;
    private final InputStream input;
    private final OutputStream output;

    WebSocketDuplex(WebSocketSession session) {
        this.session = session;
        this.inbound = new InboundQueue(session::reading);
        this.input = new QueueInputStream(inbound);
        this.output = new MessageOutput(session);
        session.listen(new WebSocketSession.Listener() {
            @Override
            public void onBinary(byte[] data) {
                inbound.offer(data);
            }

            @Override
            public void onClose(int code, String reason) {
                inbound.end();
            }
        });
        if (!session.isOpen()) {
            inbound.end();
        }
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void close() {
        inbound.discard();
        session.close();
    }

    private static final class MessageOutput extends OutputStream {
        private final WebSocketSession session;

        MessageOutput(WebSocketSession session) {
            this.session = session;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0 && !session.sendBinary(Arrays.copyOfRange(b, off, off + len))) {
                throw new IOException("the WebSocket is closed");
            }
        }
    }
}
