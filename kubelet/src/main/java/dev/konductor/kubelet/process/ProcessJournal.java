package dev.konductor.kubelet.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which host processes the runtime has running, one small file per container under its state
 * directory ({@code <pid> <start time>}), so that a kubelet that died without stopping them (a
 * crash, a SIGKILL) stops them when it starts again. A pid alone could name another process by
 * then; with its start time it names the one the runtime started, and only that one is stopped.
 */
final class ProcessJournal {

    private static final Logger log = LoggerFactory.getLogger(ProcessJournal.class);

    /** A process the runtime started: its pid (also its group's id) and its start time in /proc's clock ticks. */
    record Entry(String containerId, long pid, long startTime) {
    }

    private final Path dir;

    ProcessJournal(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    void record(Entry entry) {
        Path file = dir.resolve(entry.containerId());
        Path temporary = dir.resolve("." + entry.containerId() + ".tmp");
        try {
            Files.writeString(temporary, entry.pid() + " " + entry.startTime() + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot record container process id={} pid={}: {}", entry.containerId(), entry.pid(), e.getMessage());
        }
    }

    void forget(String containerId) {
        try {
            Files.deleteIfExists(dir.resolve(containerId));
        } catch (IOException e) {
            log.debug("cannot forget container process id={}: {}", containerId, e.getMessage());
        }
    }

    /** What a previous kubelet left recorded. */
    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> !p.getFileName().toString().startsWith("."))) {
            for (Path file : files) {
                parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.US_ASCII)).ifPresent(out::add);
            }
        } catch (IOException e) {
            log.warn("cannot read the process journal {}: {}", dir, e.getMessage());
        }
        return out;
    }

    static Optional<Entry> parse(String containerId, String content) {
        String[] fields = content.strip().split(" ");
        if (fields.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Entry(containerId, Long.parseLong(fields[0]), Long.parseLong(fields[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
