package dev.konductor.kubelet.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CriLogLinesTest {

    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.123456789Z");

    private static List<String> add(CriLogLines lines, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return lines.add(bytes, 0, bytes.length, NOW).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void eachNewlineEndsAFullLineWhateverPiecesTheOutputCameIn() {
        CriLogLines lines = new CriLogLines("stdout");

        assertThat(add(lines, "hel")).isEmpty();
        assertThat(add(lines, "lo\nworld\n\n")).containsExactly(
                "2025-01-02T03:04:05.123456789Z stdout F hello\n",
                "2025-01-02T03:04:05.123456789Z stdout F world\n",
                "2025-01-02T03:04:05.123456789Z stdout F \n");
    }

    @Test
    void aLongLineIsSplitIntoPartialOnesAndAnUnfinishedOneEndsPartial() {
        CriLogLines lines = new CriLogLines("stderr");
        String longLine = "x".repeat(CriLogLines.MAX_LINE_BYTES + 10);

        List<String> out = add(lines, longLine + "\nno newline");

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).startsWith("2025-01-02T03:04:05.123456789Z stderr P xxx").hasSize(
                "2025-01-02T03:04:05.123456789Z stderr P ".length() + CriLogLines.MAX_LINE_BYTES + 1);
        assertThat(out.get(1)).isEqualTo("2025-01-02T03:04:05.123456789Z stderr F " + "x".repeat(10) + "\n");
        assertThat(lines.end(NOW)).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .containsExactly("2025-01-02T03:04:05.123456789Z stderr P no newline\n");
    }
}
