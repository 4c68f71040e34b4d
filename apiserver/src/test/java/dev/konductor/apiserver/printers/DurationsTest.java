package dev.konductor.apiserver.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // a clock slightly behind is "now"; more than that is a bug worth showing
            "-PT2S, <invalid>",
            "-PT1.5S, 0s",
            "-PT1S, 0s",
            "PT0S, 0s",
            "PT0.999S, 0s",
            "PT5S, 5s",
            "PT119S, 119s",
            "PT2M, 2m",
            "PT2M1S, 2m1s",
            "PT3M20S, 3m20s",
            "PT9M59S, 9m59s",
            "PT10M, 10m",
            "PT10M59S, 10m",
            "PT179M, 179m",
            "PT3H, 3h",
            "PT3H1M, 3h1m",
            "PT7H59M, 7h59m",
            "PT8H, 8h",
            "PT47H59M, 47h",
            "PT48H, 2d",
            "PT51H, 2d3h",
            "PT191H, 7d23h",
            "PT192H, 8d",
            "PT1080H, 45d",
            "PT17519H, 729d",
            "PT17520H, 2y",
            "PT20400H, 2y120d",
            "PT70079H, 7y364d",
            "PT70080H, 8y",
            "PT876000H, 100y",
    })
    void humanDurationMatchesUpstreamAtEveryUnitBoundary(Duration duration, String expected) {
        assertThat(Durations.human(duration)).isEqualTo(expected);
    }
}
