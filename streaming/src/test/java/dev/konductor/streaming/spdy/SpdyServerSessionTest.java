package dev.konductor.streaming.spdy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.streaming.SocketDuplex;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serving side of SPDY as kubectl's client-go drives it, over a real loopback connection. */
class SpdyServerSessionTest {

    private ServerSocket listener;
    private Socket client;
    private SpdyServerSession session;
    private final BlockingQueue<SpdyStream> opened = new LinkedBlockingQueue<>();
    private final SpdyEncoder encoder = new SpdyEncoder();
    private final SpdyDecoder decoder = new SpdyDecoder();
    private final List<SpdyFrame> received = new ArrayList<>();
    private Thread reader;

    @BeforeEach
    void connect() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        session = new SpdyServerSession(new SocketDuplex(listener.accept()));
        reader = Thread.ofVirtual().start(() -> session.run(opened::add));
    }

    @AfterEach
    void close() throws Exception {
        session.close();
        reader.join(5000);
        client.close();
        listener.close();
        encoder.close();
        decoder.close();
    }

    private void send(SpdyFrame... frames) throws IOException {
        for (SpdyFrame frame : frames) {
            client.getOutputStream().write(encoder.encode(frame));
        }
    }

    /** Reads frames from the server until {@code count} have arrived. */
    private List<SpdyFrame> receive(int count) throws IOException {
        client.setSoTimeout(10_000);
        InputStream in = client.getInputStream();
        byte[] buffer = new byte[4096];
        while (received.size() < count) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            received.addAll(decoder.decode(buffer, 0, n));
        }
        return received;
    }

    @Test
    void eachStreamTheClientOpensIsRepliedToAndHandedOverWithItsHeaders() throws Exception {
        send(new SpdyFrame.SynStream(1, Map.of("streamtype", "error"), false),
                new SpdyFrame.SynStream(3, Map.of("streamtype", "stdin"), false));

        // kubectl's spdystream cannot read a reply without headers: it gets the stream's own back
        assertThat(receive(2)).containsExactly(new SpdyFrame.SynReply(1, Map.of("streamtype", "error"), false),
                new SpdyFrame.SynReply(3, Map.of("streamtype", "stdin"), false));
        assertThat(opened.poll(5, TimeUnit.SECONDS).header("streamtype")).isEqualTo("error");
        assertThat(opened.poll(5, TimeUnit.SECONDS).header("streamtype")).isEqualTo("stdin");
    }

    @Test
    void dataFlowsBothWaysAndEachSideHalfClosesItsOwnDirection() throws Exception {
        send(new SpdyFrame.SynStream(1, Map.of("streamtype", "data"), false),
                new SpdyFrame.Data(1, "ping".getBytes(StandardCharsets.UTF_8), false),
                new SpdyFrame.Data(1, new byte[0], true));
        SpdyStream stream = opened.poll(5, TimeUnit.SECONDS);

        assertThat(new String(stream.input().readAllBytes(), StandardCharsets.UTF_8)).as("up to the client's FIN")
                .isEqualTo("ping");
        stream.output().write("pong".getBytes(StandardCharsets.UTF_8));
        stream.closeWrite();

        List<SpdyFrame> frames = receive(3);
        SpdyFrame.Data data = (SpdyFrame.Data) frames.get(1);
        assertThat(new String(data.data(), StandardCharsets.UTF_8)).isEqualTo("pong");
        SpdyFrame.Data end = (SpdyFrame.Data) frames.get(2);
        assertThat(end.data()).isEmpty();
        assertThat(end.last()).as("the server's FIN").isTrue();
    }

    @Test
    void pingsAreAnsweredAndAnEndedConnectionEndsEveryStreamsInput() throws Exception {
        send(new SpdyFrame.SynStream(1, Map.of("streamtype", "stdin"), false), new SpdyFrame.Ping(7));
        SpdyStream stream = opened.poll(5, TimeUnit.SECONDS);

        assertThat(receive(2)).contains(new SpdyFrame.Ping(7));
        client.close();
        assertThat(stream.input().read()).as("end of input once the client is gone").isEqualTo(-1);
    }
}
