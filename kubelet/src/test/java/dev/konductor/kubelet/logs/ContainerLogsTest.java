package dev.konductor.kubelet.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogsTest {

    private static final String LOG = """
            2025-01-01T00:00:01.000000001Z stdout F one
            2025-01-01T00:00:02.000000002Z stderr F two
            2025-01-01T00:00:03.000000003Z stdout P thr
            2025-01-01T00:00:03.000000004Z stdout F ee
            """;

    @TempDir
    Path dir;

    private String read(LogOptions options) throws IOException {
        Path file = dir.resolve("0.log");
        Files.writeString(file, LOG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerLogs.copy(file, options, bytes -> {
            out.writeBytes(bytes);
            return true;
        }, () -> false);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void joinsPartialLinesAndKeepsBothStreams() throws IOException {
        assertThat(read(LogOptions.defaults())).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void timestampsTailSinceAndLimit() throws IOException {
        assertThat(read(new LogOptions(false, Optional.of(1L), Optional.empty(), false, Optional.empty()))).isEqualTo("ee\n");
        assertThat(read(new LogOptions(false, Optional.of(0L), Optional.empty(), false, Optional.empty()))).isEmpty();
        assertThat(read(new LogOptions(false, Optional.empty(), Optional.empty(), true, Optional.empty())))
                .startsWith("2025-01-01T00:00:01.000000001Z one\n2025-01-01T00:00:02.000000002Z two\n");
        assertThat(read(new LogOptions(false, Optional.empty(), Optional.of(Instant.parse("2025-01-01T00:00:02Z")), false,
                Optional.empty()))).isEqualTo("two\nthree\n");
        assertThat(read(new LogOptions(false, Optional.empty(), Optional.empty(), false, Optional.of(5L)))).isEqualTo("one\nt");
    }

    @Test
    void followEndsWhenTheContainerStops() throws IOException {
        assertThat(read(new LogOptions(true, Optional.empty(), Optional.empty(), false, Optional.empty())))
                .isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void parsesCriLines() {
        CriLogLine line = CriLogLine.parse("2016-10-06T00:17:09.669794202Z stdout F hello world").orElseThrow();
        assertThat(line.stream()).isEqualTo("stdout");
        assertThat(line.content()).isEqualTo("hello world");
        assertThat(line.partial()).isFalse();
        assertThat(CriLogLine.parse("2016-10-06T00:17:09Z stdout F").orElseThrow().content()).isEmpty();
        assertThat(CriLogLine.parse("garbage")).isEmpty();
    }
}
