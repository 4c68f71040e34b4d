package dev.konductor.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class UpgradeProxyTest {

    @Test
    void relaysOnlyTheHeadersAnUpgradeNeedsNeverTheClientsCredentials() {
        List<HttpHead.Header> relayed = UpgradeProxy.relayedHeaders(List.of(
                new HttpHead.Header("Authorization", "Bearer secret"),
                new HttpHead.Header("Connection", "Upgrade"),
                new HttpHead.Header("Upgrade", "SPDY/3.1"),
                new HttpHead.Header("X-Stream-Protocol-Version", "v5.channel.k8s.io"),
                new HttpHead.Header("X-Stream-Protocol-Version", "v4.channel.k8s.io"),
                new HttpHead.Header("Sec-WebSocket-Protocol", "v4.channel.k8s.io"),
                new HttpHead.Header("Cookie", "a=b")));

        assertThat(relayed).extracting(HttpHead.Header::name).containsExactly("Connection", "Upgrade",
                "X-Stream-Protocol-Version", "X-Stream-Protocol-Version", "Sec-WebSocket-Protocol");
    }

    @Test
    void readsARefusalsBodyWhicheverWayItIsFramed() throws IOException {
        HttpHead sized = head("Content-Length: 5");
        assertThat(UpgradeProxy.body(stream("hello and more"), sized)).asString().isEqualTo("hello");
        HttpHead chunked = head("Transfer-Encoding: chunked");
        assertThat(UpgradeProxy.body(stream("5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n"), chunked)).asString()
                .isEqualTo("hello world");
        assertThat(UpgradeProxy.body(stream("until the end"), head("X: y"))).asString().isEqualTo("until the end");
        assertThat(UpgradeProxy.body(stream("garbled"), head("Content-Length: lots"))).asString().isEqualTo("garbled");
    }

    @Test
    void splicesBothWaysOnceTheUpstreamSwitchesAndClosesBothWhenOneEnds() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket client = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = Thread.ofVirtual().start(() -> echoAfterUpgrade(upstream));
            Socket clientEnd = new Socket(InetAddress.getLoopbackAddress(), client.getLocalPort());
            Socket proxySide = client.accept();
            AtomicReference<HttpHead> answered = new AtomicReference<>();
            Thread proxy = Thread.ofVirtual().start(() -> {
                try {
                    UpgradeProxy.forward(HttpHead.request("POST", "/exec/x", List.of()),
                            () -> new SocketDuplex(new Socket(InetAddress.getLoopbackAddress(), upstream.getLocalPort())),
                            new UpgradeProxy.Downstream() {
                                @Override
                                public void refused(UpgradeProxy.Answer answer) {
                                    throw new AssertionError("refused: " + answer.head());
                                }

                                @Override
                                public Duplex switched(UpgradeProxy.Answer answer) throws IOException {
                                    answered.set(answer.head());
                                    return new SocketDuplex(proxySide);
                                }
                            });
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });

            OutputStream out = clientEnd.getOutputStream();
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(clientEnd.getInputStream().readNBytes(4)).asString().isEqualTo("PING");
            clientEnd.close();

            proxy.join(20_000);
            echo.join(20_000);
            assertThat(proxy.isAlive()).as("the proxy returned once the client went").isFalse();
            assertThat(echo.isAlive()).as("the upstream saw its connection end").isFalse();
            assertThat(answered.get().status()).isEqualTo(101);
        }
    }

    /** Answers 101, then upper-cases whatever comes until the connection ends. */
    private static void echoAfterUpgrade(ServerSocket server) {
        try (Socket s = server.accept()) {
            HttpHead.read(s.getInputStream());
            s.getOutputStream().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            int b;
            while ((b = in.read()) >= 0) {
                s.getOutputStream().write(Character.toUpperCase(b));
            }
        } catch (IOException e) {
            // the proxy closed us: that is the end this test waits for
        }
    }

    private static HttpHead head(String header) throws IOException {
        return HttpHead.read(stream("HTTP/1.1 500 Internal Server Error\r\n" + header + "\r\n\r\n"));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
