package dev.konductor.kubelet.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {

    @TempDir
    Path dir;

    private AtomicWriter at(Path target) {
        return new AtomicWriter(target, Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC));
    }

    private static FileProjection file(String text, int mode) {
        return new FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void filesAreSymlinksThroughDataIntoATimestampedDirectory() throws IOException {
        assertThat(at(dir).write(Map.of("app.conf", file("a=1\n", 0644), "nested/deep.txt", file("deep", 0400)))).isTrue();

        assertThat(Files.readString(dir.resolve("app.conf"))).isEqualTo("a=1\n");
        assertThat(Files.readString(dir.resolve("nested/deep.txt"))).isEqualTo("deep");
        assertThat(Files.readSymbolicLink(dir.resolve("app.conf"))).isEqualTo(Path.of("..data/app.conf"));
        assertThat(Files.readSymbolicLink(dir.resolve("nested"))).isEqualTo(Path.of("..data/nested"));
        Path data = Files.readSymbolicLink(dir.resolve("..data"));
        assertThat(data.toString()).startsWith("..2025_03_04_05_06_07.");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(data).resolve("nested/deep.txt"))))
                .isEqualTo("r--------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(data).resolve("nested"))))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void anUpdateSwitchesDataAndDropsWhatIsGone() throws IOException {
        at(dir).write(Map.of("a", file("1", 0644), "b", file("2", 0644)));
        Path first = Files.readSymbolicLink(dir.resolve("..data"));

        assertThat(at(dir).write(Map.of("a", file("changed", 0644)))).isTrue();

        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("changed");
        assertThat(dir.resolve("b")).doesNotExist();
        assertThat(dir.resolve(first)).doesNotExist();
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..20"))).hasSize(1);
        }
    }

    @Test
    void theSamePayloadWritesNothing() throws IOException {
        at(dir).write(Map.of("a", file("1", 0644)));
        Path data = Files.readSymbolicLink(dir.resolve("..data"));

        assertThat(at(dir).write(Map.of("a", file("1", 0644)))).isFalse();
        assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isEqualTo(data);

        assertThat(at(dir).write(Map.of("a", file("1", 0600)))).as("a mode change is a change").isTrue();
    }

    @Test
    void anEmptyPayloadGivesAnEmptyVolume() throws IOException {
        at(dir).write(Map.of());

        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".."))).isEmpty();
        }
    }

    @Test
    void pathsMayNotLeaveTheVolume() {
        for (String bad : List.of("/etc/passwd", "../x", "a/../../x", "..hidden", "")) {
            assertThatThrownBy(() -> at(dir).write(Map.of(bad, file("x", 0644)))).as(bad).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("invalid path");
        }
    }

    @Test
    void modesAreTheRequestedBits() {
        assertThat(PosixFilePermissions.toString(AtomicWriter.permissions(0755))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(AtomicWriter.permissions(0440))).isEqualTo("r--r-----");
    }
}
