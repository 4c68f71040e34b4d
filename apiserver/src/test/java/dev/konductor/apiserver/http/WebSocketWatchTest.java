package dev.konductor.apiserver.http;

import static dev.konductor.apiserver.testsupport.TestApiServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Watches over WebSocket, as fabric8 clients open them unless told to use plain HTTP. */
// a hang guard above the 60 s waits inside: at a load average of 60 a cold first request took a minute
@Timeout(300)
class WebSocketWatchTest {

    private static TestApiServer api;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void fabric8WebSocketWatchReceivesEvents() {
        KubernetesClient client = api.client(api.config(false));
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch ignored = client.configMaps().inNamespace("default").watch(recorder(events))) {
            client.configMaps().inNamespace("default").resource(configMap("ws-one", "a")).create();
            client.configMaps().inNamespace("default").resource(configMap("ws-one", "b")).update();
            client.configMaps().inNamespace("default").withName("ws-one").delete();
            await("the watch saw ADDED, MODIFIED and DELETED", () -> events.containsAll(
                    List.of("ADDED ws-one", "MODIFIED ws-one", "DELETED ws-one")));
        }
    }

    @Test
    void plainHttpWatchStillWorks() {
        KubernetesClient client = api.client(api.config(true));
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch ignored = client.configMaps().inNamespace("default").watch(recorder(events))) {
            client.configMaps().inNamespace("default").resource(configMap("http-one", "a")).create();
            await("the watch saw ADDED", () -> events.contains("ADDED http-one"));
        }
    }

    @Test
    void eachEventIsOneTextMessage() throws Exception {
        // the event is in the history the watch replays from rv, sent as soon as the watch opens:
        // created afterwards, a loaded machine could take longer than timeoutSeconds to deliver it
        String rv = api.client().configMaps().inNamespace("default").list().getMetadata().getResourceVersion();
        api.client().configMaps().inNamespace("default").resource(configMap("raw-one", "a")).create();
        List<String> messages = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = TestApiServer.trustingClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestApiServer.TOKEN)
                .buildAsync(URI.create(api.url().replace("https://", "wss://")
                        + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + rv
                        + "&timeoutSeconds=10"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                messages.add(data.toString());
                                webSocket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                                closed.complete(statusCode);
                                return null;
                            }
                        }).get(60, TimeUnit.SECONDS);
        await("one message per event", () -> messages.stream().anyMatch(m -> m.contains("\"raw-one\"")));
        assertThat(messages).allSatisfy(m -> assertThat(m).startsWith("{\"type\":\"").endsWith("}\n"));
        assertThat(closed.get(60, TimeUnit.SECONDS)).as("closed normally at timeoutSeconds").isEqualTo(1000);
        socket.abort();
    }

    @Test
    void aBacklogSentAtOnceIsStillOneTextMessagePerEvent() throws Exception {
        var configMaps = api.client().configMaps().inNamespace("default");
        String before = configMaps.list().getMetadata().getResourceVersion();
        for (String name : List.of("backlog-a", "backlog-b", "backlog-c")) {
            configMaps.resource(configMap(name, "v")).create();
        }
        List<String> messages = new CopyOnWriteArrayList<>();
        WebSocket socket = TestApiServer.trustingClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestApiServer.TOKEN)
                .buildAsync(URI.create(api.url().replace("https://", "wss://")
                        + "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=5&resourceVersion=" + before),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                messages.add(data.toString());
                                webSocket.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        await("the backlog arrived", () -> messages.stream().anyMatch(m -> m.contains("\"backlog-c\"")));
        assertThat(messages).filteredOn(m -> m.contains("\"backlog-"))
                .extracting(m -> m.substring(m.indexOf("backlog-"), m.indexOf("backlog-") + 9))
                .containsExactly("backlog-a", "backlog-b", "backlog-c");
        assertThat(messages).allSatisfy(m -> assertThat(m.indexOf('\n')).isEqualTo(m.length() - 1));
        socket.abort();
    }

    private static Watcher<ConfigMap> recorder(List<String> events) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(Map.of("k", value))
                .build();
    }
}
