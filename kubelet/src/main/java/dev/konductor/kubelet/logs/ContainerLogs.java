package dev.konductor.kubelet.logs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's CRI log file for {@code kubectl logs}: since a time, the last N lines,
 * with or without timestamps, up to a byte limit; and with {@code follow}, what is appended
 * until the container stops or the reader goes away.
 */
public final class ContainerLogs {

    static final Duration FOLLOW_POLL = Duration.ofMillis(200);

    /** Where the text goes; returns false once nobody reads any more. */
    @FunctionalInterface
    public interface Sink {
        boolean write(byte[] bytes);
    }

    private ContainerLogs() {
    }

    /**
     * @param running whether the container still runs (and so may write more)
     */
    public static void copy(Path file, LogOptions options, Sink sink, BooleanSupplier running) throws IOException {
        long[] budget = {options.limitBytes().orElse(Long.MAX_VALUE)};
        long position;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            List<String> lines = new ArrayList<>();
            position = readLines(in, 0, lines);
            Deque<String> selected = new ArrayDeque<>();
            for (String raw : lines) {
                Optional<CriLogLine> line = CriLogLine.parse(raw);
                if (line.isEmpty() || options.since().map(since -> line.get().time().isBefore(since)).orElse(false)) {
                    continue;
                }
                selected.add(line.get().render(options.timestamps()));
                if (options.tailLines().isPresent() && selected.size() > options.tailLines().get()) {
                    selected.removeFirst();
                }
            }
            for (String text : selected) {
                if (!emit(text, sink, budget)) {
                    return;
                }
            }
            if (!options.follow()) {
                return;
            }
            while (true) {
                List<String> more = new ArrayList<>();
                long next = readLines(in, position, more);
                for (String raw : more) {
                    Optional<CriLogLine> line = CriLogLine.parse(raw);
                    if (line.isPresent() && !emit(line.get().render(options.timestamps()), sink, budget)) {
                        return;
                    }
                }
                if (next == position && !running.getAsBoolean()) {
                    return;
                }
                position = next;
                if (more.isEmpty()) {
                    if (!sink.write(new byte[0])) {
                        return;
                    }
                    Thread.sleep(FOLLOW_POLL);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean emit(String text, Sink sink, long[] budget) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > budget[0]) {
            byte[] cut = new byte[(int) budget[0]];
            System.arraycopy(bytes, 0, cut, 0, cut.length);
            sink.write(cut);
            budget[0] = 0;
            return false;
        }
        budget[0] -= bytes.length;
        return sink.write(bytes) && budget[0] > 0;
    }

    /** Reads complete lines from {@code from}; returns the position after the last complete one. */
    private static long readLines(RandomAccessFile in, long from, List<String> lines) throws IOException {
        long length = in.length();
        if (length <= from) {
            return from;
        }
        in.seek(from);
        byte[] buffer = new byte[(int) Math.min(length - from, 8 * 1024 * 1024)];
        in.readFully(buffer);
        int start = 0;
        for (int i = 0; i < buffer.length; i++) {
            if (buffer[i] == '\n') {
                lines.add(new String(buffer, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return from + start;
    }

    static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }
}
