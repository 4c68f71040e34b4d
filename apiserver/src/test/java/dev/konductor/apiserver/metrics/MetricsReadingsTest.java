package dev.konductor.apiserver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsReadingsTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));
    private final MetricsReadings readings = new MetricsReadings(now::get);

    private static ObjectNode reading(String name, String window) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.putObject("metadata").put("name", name);
        node.put("window", window);
        return node;
    }

    private void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Test
    void aReadingNotReportedAgainWithinFiveWindowsIsDropped() {
        MetricsReadings.Key key = new MetricsReadings.Key(null, "n1");
        readings.put("nodes", key, reading("n1", "1m"));
        advance(Duration.ofMinutes(4));
        assertThat(readings.get("nodes", key)).isPresent();
        readings.put("nodes", key, reading("n1", "1m")); // reported again: five more windows
        advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(readings.list("nodes", null, r -> true)).hasSize(1);
        advance(Duration.ofSeconds(2));
        assertThat(readings.get("nodes", key)).isEmpty();
        assertThat(readings.list("nodes", null, r -> true)).isEmpty();
    }

    @Test
    void shortWindowsAreKeptTwoMinutesAndAStaleReadingMakesWayForACreate() {
        MetricsReadings.Key key = new MetricsReadings.Key("default", "web-1");
        readings.put("pods", key, reading("web-1", "15s"));
        advance(Duration.ofSeconds(115));
        assertThat(readings.putIfAbsent("pods", key, reading("web-1", "15s"))).isPresent();
        advance(Duration.ofSeconds(10));
        assertThat(readings.putIfAbsent("pods", key, reading("web-1", "15s"))).isEmpty();
        assertThat(readings.get("pods", key)).isPresent();
    }
}
