package dev.konductor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiBenchTest {

    @Test
    void findsTheSentStampInAWatchEventLine() {
        String line = "{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c-0\","
                + "\"annotations\":{\"sent\":\"123456789012\"}}}}";

        assertThat(ApiBench.sentStamp(line)).isEqualTo(123456789012L);
        assertThat(ApiBench.sentStamp("{\"type\":\"ADDED\",\"object\":{}}")).isZero();
    }
}
