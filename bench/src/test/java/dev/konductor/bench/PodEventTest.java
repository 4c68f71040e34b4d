package dev.konductor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PodEventTest {

    private static PodEvent parse(String line) throws Exception {
        return PodEvent.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsNameNodeAndPhaseWhereverTheyAreInTheObject() throws Exception {
        PodEvent event = parse("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"status\":{\"conditions\":"
                + "[{\"type\":\"Ready\"}],\"phase\":\"Running\"},\"spec\":{\"containers\":[{\"name\":\"c\"}],"
                + "\"nodeName\":\"kb-3\"},\"metadata\":{\"labels\":{\"name\":\"x\"},\"name\":\"p-17\"}}}");

        assertThat(event).isEqualTo(new PodEvent("MODIFIED", "p-17", "kb-3", "Running"));
        assertThat(event.bound()).isTrue();
        assertThat(event.running()).isTrue();
    }

    @Test
    void aNewPodIsNeitherBoundNorRunning() throws Exception {
        PodEvent event = parse("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"p-0\"},"
                + "\"spec\":{\"containers\":[]},\"status\":{\"phase\":\"Pending\"}}}");

        assertThat(event.bound()).isFalse();
        assertThat(event.running()).isFalse();
        assertThat(event.name()).isEqualTo("p-0");
    }

    @Test
    void parsesALineInsideALargerBuffer() throws Exception {
        byte[] buffer = "xx{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"p-5\"}}}yy"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(PodEvent.parse(buffer, 2, buffer.length - 4)).isEqualTo(new PodEvent("DELETED", "p-5", "", ""));
    }
}
