package dev.konductor.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import dev.konductor.testing.ManualClock;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events as upstream's recorder writes them, against a real API server. */
class CoreEventsTest {

    private static LocalApiServer api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = LocalApiServer.start();
        client = api.client();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static List<Event> eventsAbout(String namespace, String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    @Test
    void anEventCarriesItsObjectSourceAndTimes() {
        ConfigMap cm = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("first").endMetadata().build()).create();
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
        try (CoreEvents events = new CoreEvents(client, "stamp-controller", null, clock)) {
            events.normal(cm, "Stamped", "stamped first");
            Await.until("the event is written", () -> eventsAbout("default", "first").size() == 1);
        }
        Event event = eventsAbout("default", "first").getFirst();
        assertThat(event.getMetadata().getName()).startsWith("first.");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(cm.getMetadata().getUid());
        assertThat(event.getType()).isEqualTo(CoreEvents.NORMAL);
        assertThat(event.getReason()).isEqualTo("Stamped");
        assertThat(event.getMessage()).isEqualTo("stamped first");
        assertThat(event.getSource().getComponent()).isEqualTo("stamp-controller");
        assertThat(event.getSource().getHost()).isNull();
        assertThat(event.getReportingComponent()).isEqualTo("stamp-controller");
        assertThat(event.getCount()).isEqualTo(1);
        assertThat(event.getFirstTimestamp()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(event.getLastTimestamp()).isEqualTo("2026-12-07T10:00:00Z");
    }

    @Test
    void theSameEventAgainIsCountedOnTheFirstUntilTenMinutesHavePassed() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
        var pod = new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace("default")
                .withName("web-1").withUid("uid-web-1").withFieldPath("spec.containers{c}").build();
        try (CoreEvents events = new CoreEvents(client, "kubelet", "node-1", clock)) {
            events.record(pod, CoreEvents.WARNING, "BackOff", "Back-off restarting failed container c");
            clock.advance(Duration.ofSeconds(30));
            events.record(pod, CoreEvents.WARNING, "BackOff", "Back-off restarting failed container c");
            events.record(pod, CoreEvents.NORMAL, "Pulled", "Container image already present on machine");
            Await.until("two events, one counted twice", () -> eventsAbout("default", "web-1").stream()
                    .mapToInt(Event::getCount).sum() == 3);
            List<Event> written = eventsAbout("default", "web-1");
            assertThat(written).hasSize(2);
            Event backOff = written.stream().filter(e -> e.getReason().equals("BackOff")).findFirst().orElseThrow();
            assertThat(backOff.getCount()).isEqualTo(2);
            assertThat(backOff.getFirstTimestamp()).isEqualTo("2026-12-07T10:00:00Z");
            assertThat(backOff.getLastTimestamp()).isEqualTo("2026-12-07T10:00:30Z");
            assertThat(backOff.getSource().getHost()).isEqualTo("node-1");
            assertThat(backOff.getReportingInstance()).isEqualTo("node-1");
            assertThat(backOff.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{c}");

            clock.advance(Duration.ofMinutes(11));
            events.record(pod, CoreEvents.WARNING, "BackOff", "Back-off restarting failed container c");
            Await.until("a new event after the window", () -> eventsAbout("default", "web-1").size() == 3);
        }
    }

    @Test
    void anEventWhoseObjectIsGoneFromTheServerIsWrittenAnew() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata()
                .withName("events-gone").endMetadata().build()).create();
        var pod = new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace("events-gone")
                .withName("gone-1").withUid("uid-gone-1").build();
        try (CoreEvents events = new CoreEvents(client, "kubelet", "node-1", clock)) {
            events.record(pod, CoreEvents.NORMAL, "Killing", "Stopping container c");
            Await.until("the event is written", () -> eventsAbout("events-gone", "gone-1").size() == 1);
            client.v1().events().inNamespace("events-gone").delete();
            Await.until("the events are deleted", () -> eventsAbout("events-gone", "gone-1").isEmpty());
            events.record(pod, CoreEvents.NORMAL, "Killing", "Stopping container c");
            Await.until("the event is written again", () -> eventsAbout("events-gone", "gone-1").size() == 1);
        }
        assertThat(eventsAbout("events-gone", "gone-1").getFirst().getCount()).isEqualTo(1);
    }

    @Test
    void eventsAboutClusterScopedObjectsGoToTheDefaultNamespace() {
        Node node = client.nodes().resource(new NodeBuilder().withNewMetadata().withName("events-node").endMetadata()
                .build()).create();
        try (CoreEvents events = new CoreEvents(client, "node-controller", null, new ManualClock())) {
            events.normal(node, "RegisteredNode", "Node events-node event: Registered Node events-node");
            Await.until("the event is written", () -> eventsAbout("default", "events-node").size() == 1);
        }
    }

    @Test
    void rawRequestsReportTheCodeAndKeepTheBody() {
        RawRequests requests = new RawRequests(client);
        RawRequests.Response missing = requests.send("GET", RawRequests.corePath("default", "configmaps", "nope"), null);
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.ok()).isFalse();
        assertThat(missing.body()).contains("\"reason\":\"NotFound\"");
        RawRequests.Response created = requests.send("POST", RawRequests.corePath("default", "configmaps"),
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"raw\"}}");
        assertThat(created.code()).isEqualTo(201);
        RawRequests.Response patched = requests.send("PATCH", RawRequests.corePath("default", "configmaps", "raw"),
                RawRequests.MERGE_PATCH, "{\"data\":{\"k\":\"v\"}}");
        assertThat(patched.ok()).isTrue();
        assertThat(client.configMaps().inNamespace("default").withName("raw").get().getData()).containsEntry("k", "v");
    }
}
