package dev.konductor.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ZonesTest {

    private static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");

    private static List<NodeCondition> ready(int ready, int notReady) {
        List<NodeCondition> conditions = new ArrayList<>();
        for (int i = 0; i < ready + notReady; i++) {
            conditions.add(new NodeConditionBuilder().withType("Ready").withStatus(i < ready ? "True" : "Unknown").build());
        }
        return conditions;
    }

    @ParameterizedTest(name = "{0} ready, {1} not ready: {2}")
    @CsvSource({"3,0,NORMAL", "0,1,FULL_DISRUPTION", "1,2,NORMAL", "2,3,PARTIAL_DISRUPTION", "5,3,NORMAL",
            "0,0,NORMAL"})
    void zoneStatesFollowUpstreamThresholds(int ready, int notReady, Zones.State expected) {
        assertThat(new Zones(NodeLifecycleSettings.defaults()).stateOf(ready(ready, notReady))).isEqualTo(expected);
    }

    @Test
    void taintsAreRateLimitedPerZoneAndStopWhenEveryNodeIsDown() {
        Zones zones = new Zones(NodeLifecycleSettings.defaults());
        assertThat(zones.update(Map.of("a", ready(5, 2)), T0)).isEqualTo(Zones.Mode.NORMAL);
        zones.queueForTaint("a", "n1");
        zones.queueForTaint("a", "n2");
        zones.queueForTaint("a", "n1");

        assertThat(zones.dueForTaint(T0)).containsExactly("n1");
        assertThat(zones.dueForTaint(T0.plusSeconds(5))).isEmpty();
        assertThat(zones.dueForTaint(T0.plusSeconds(10))).containsExactly("n2");
        zones.queueForTaint("a", "n1");
        assertThat(zones.anyPending()).as("a tainted node is not queued again").isFalse();

        assertThat(zones.update(Map.of("a", ready(0, 7)), T0.plusSeconds(20)))
                .isEqualTo(Zones.Mode.ENTERED_FULL_DISRUPTION);
        zones.reachable("n1");
        zones.queueForTaint("a", "n1");
        assertThat(zones.dueForTaint(T0.plusSeconds(100))).isEmpty();

        assertThat(zones.update(Map.of("a", ready(6, 1)), T0.plusSeconds(110))).isEqualTo(Zones.Mode.LEFT_FULL_DISRUPTION);
        assertThat(zones.dueForTaint(T0.plusSeconds(110))).containsExactly("n1");
    }

    @Test
    void aSmallPartlyDisruptedZoneStopsTaintingWhileAnotherZoneGoesOn() {
        Zones zones = new Zones(NodeLifecycleSettings.defaults());
        zones.update(Map.of("a", ready(2, 3), "b", ready(3, 1)), T0);
        zones.queueForTaint("a", "a1");
        zones.queueForTaint("b", "b1");

        assertThat(zones.dueForTaint(T0.plusSeconds(60))).containsExactly("b1");
    }
}
