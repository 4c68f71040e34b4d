package dev.konductor.kubelet.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one output stream of a container into CRI log lines, as containerd does: a full line
 * ({@code F}) at each newline, a partial one ({@code P}) when a line outgrows
 * {@link #MAX_LINE_BYTES} and for what is left without a newline at the end; each written as
 * {@code TIMESTAMP STREAM TAG CONTENT\n}. Not thread-safe: one per stream. Pure.
 */
final class CriLogLines {

    /** containerd's default max_container_log_line_size. */
    static final int MAX_LINE_BYTES = 16 * 1024;

    private final String stream;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** @param stream {@code stdout} or {@code stderr} */
    CriLogLines(String stream) {
        this.stream = stream;
    }

    /** The log lines these bytes complete, stamped {@code now}. */
    List<byte[]> add(byte[] bytes, int offset, int length, Instant now) {
        List<byte[]> out = new ArrayList<>();
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                out.add(line(now, false));
            } else {
                pending.write(b);
                if (pending.size() >= MAX_LINE_BYTES) {
                    out.add(line(now, true));
                }
            }
        }
        return out;
    }

    /** What is left at the end of the stream (a last line without a newline), as a partial line. */
    List<byte[]> end(Instant now) {
        return pending.size() == 0 ? List.of() : List.of(line(now, true));
    }

    private byte[] line(Instant now, boolean partial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pending.size() + 48);
        out.writeBytes((DateTimeFormatter.ISO_INSTANT.format(now) + " " + stream + (partial ? " P " : " F "))
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(pending.toByteArray());
        out.write('\n');
        pending.reset();
        return out.toByteArray();
    }
}
