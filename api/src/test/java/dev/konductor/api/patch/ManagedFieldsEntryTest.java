package dev.konductor.api.patch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedFieldsEntryTest {

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2026-12-06T15:30:28Z", "2100-03-01T00:00:01Z"})
    void theServersOwnFormIsReadWithoutTheGeneralParser(String time) {
        assertThat(ManagedFieldsEntry.utcSeconds(time)).isEqualTo(OffsetDateTime.parse(time).toEpochSecond());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06T15:30:28+01:00", "2026-12-06T15:30:28.5Z", "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z", "2026-12-06T24:00:00Z", "2026-1x-06T15:30:28Z", "1969-12-31T23:59:59Z"})
    void otherFormsAreLeftToIt(String time) {
        assertThat(ManagedFieldsEntry.utcSeconds(time)).isEqualTo(-1);
    }

    @Test
    void timesAreFormattedInWholeUtcSecondsAlsoWhenTheSecondRepeats() {
        java.time.Instant t = java.time.Instant.parse("2026-12-07T09:41:05.250Z");

        assertThat(ManagedFieldsEntry.formatTime(t)).isEqualTo("2026-12-07T09:41:05Z");
        assertThat(ManagedFieldsEntry.formatTime(t.plusMillis(700))).isEqualTo("2026-12-07T09:41:05Z");
        assertThat(ManagedFieldsEntry.formatTime(t.plusMillis(750))).isEqualTo("2026-12-07T09:41:06Z");
        assertThat(ManagedFieldsEntry.formatTime(t.minusSeconds(86_400))).isEqualTo("2026-12-06T09:41:05Z");
    }

    @Test
    void anOffsetTimeSortsByItsInstant() {
        var entry = new ManagedFieldsEntry("m", ManagedFieldsEntry.UPDATE, "v1", "2026-12-06T16:30:28+01:00", null,
                FieldSet.empty());
        assertThat(entry.epochSeconds()).isEqualTo(OffsetDateTime.parse("2026-12-06T15:30:28Z").toEpochSecond());
    }
}
