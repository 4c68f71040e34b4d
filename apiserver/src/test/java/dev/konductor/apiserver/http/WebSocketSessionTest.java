package dev.konductor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.testsupport.TestApiServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WebSocketSessionTest {

    @Test
    void whatAClientSendsBeforeTheServerListensArrivesInOrder() throws Exception {
        // kubectl cp sends stdin the moment its WebSocket opens, before the server is ready for it
        try (HttpsServer server = new HttpsServer(TestApiServer.selfSigned(), WebSocketSessionTest::echoLate)) {
            int port = server.start(InetAddress.getLoopbackAddress(), 0);
            List<String> echoed = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> three = new CompletableFuture<>();
            WebSocket client = TestApiServer.trustingClient().newWebSocketBuilder().subprotocols("v5.channel.k8s.io")
                    .buildAsync(URI.create("wss://127.0.0.1:" + port + "/exec"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                            echoed.add(StandardCharsets.UTF_8.decode(data).toString());
                            if (echoed.size() == 3) {
                                three.complete(null);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            for (String message : List.of("one", "two", "three")) {
                client.sendBinary(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), true).get(10, TimeUnit.SECONDS);
            }

            three.get(30, TimeUnit.SECONDS);
            assertThat(echoed).containsExactly("one", "two", "three");
            client.abort();
        }
    }

    /** Upgrades, lets the client talk first, then listens and echoes what it got. */
    private static void echoLate(HttpExchange exchange) {
        WebSocketSession session = exchange.upgradeToWebSocket("v5.channel.k8s.io");
        LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        try {
            Thread.sleep(500);
            session.listen(new WebSocketSession.Listener() {
                @Override
                public void onBinary(byte[] data) {
                    received.add(data);
                }
            });
            for (int i = 0; i < 3; i++) {
                session.sendBinary(received.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
