package dev.konductor.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CronScheduleNextTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*/5 * * * *      | 2024-03-10T10:03:27Z | 2024-03-10T10:05Z",
            "0 * * * *        | 2024-03-10T10:00:00Z | 2024-03-10T11:00Z",
            "@hourly          | 2024-03-10T10:59:59Z | 2024-03-10T11:00Z",
            "@daily           | 2024-03-10T10:00:00Z | 2024-03-11T00:00Z",
            "@weekly          | 2024-03-10T10:00:00Z | 2024-03-17T00:00Z",
            "@monthly         | 2024-12-31T10:00:00Z | 2025-01-01T00:00Z",
            "@yearly          | 2024-03-10T10:00:00Z | 2025-01-01T00:00Z",
            "30 9 * * mon-fri | 2024-03-08T10:00:00Z | 2024-03-11T09:30Z",
            "0 0 13 * 5       | 2024-03-10T00:00:00Z | 2024-03-13T00:00Z",
            "0 0 29 2 *       | 2024-03-01T00:00:00Z | 2028-02-29T00:00Z",
            "15 2-4/2 * jan *  | 2024-01-31T03:00:00Z | 2024-01-31T04:15Z",
            "@every 90s       | 2024-03-10T10:00:00.5Z | 2024-03-10T10:01:30Z",
    })
    void nextActivation(String spec, String after, String expected) {
        ZonedDateTime from = ZonedDateTime.parse(after).withZoneSameInstant(UTC);
        assertThat(CronSchedule.parse(spec.trim()).next(from)).contains(ZonedDateTime.parse(expected).withZoneSameInstant(UTC));
    }

    @Test
    void followsTheGivenTimeZone() {
        ZonedDateTime from = ZonedDateTime.parse("2024-03-10T10:00:00Z").withZoneSameInstant(ZoneId.of("Asia/Tokyo"));
        assertThat(CronSchedule.parse("0 9 * * *").next(from).orElseThrow().toInstant().toString())
                .isEqualTo("2024-03-11T00:00:00Z");
    }

    @Test
    void aScheduleThatNeverFiresHasNoNext() {
        assertThat(CronSchedule.parse("0 0 30 2 *").next(ZonedDateTime.now(UTC))).isEmpty();
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).hasMessageContaining("above maximum");
    }
}
