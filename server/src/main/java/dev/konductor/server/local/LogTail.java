package dev.konductor.server.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The end of a log file, for showing why a background server failed. */
public final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    /** Current size of {@code file}, 0 if missing: where the next run's output will begin. */
    public static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The last line written at or after byte {@code from} that starts with {@code prefix}: the
     * reason a server gave for exiting, which the lines of its shutdown that follow would bury.
     */
    public static Optional<String> lastLineStartingWith(Path file, long from, String prefix) {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.min(from, Files.size(file)));
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return reader.lines().filter(line -> line.startsWith(prefix)).reduce((first, second) -> second);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The last {@code lines} lines written at or after byte {@code from}. */
    public static List<String> lastLines(Path file, long from, int lines) {
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(from, log.length() - MAX_BYTES);
            byte[] bytes = new byte[(int) Math.max(0, log.length() - start)];
            log.seek(start);
            log.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }
}
