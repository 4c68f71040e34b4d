package dev.konductor.kubelet.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's own directory (its HOME and default working directory, what it writes there
 * goes with it) with its volumes linked in at their mount paths. Deleting it never follows a
 * link: the volumes stay, they are the kubelet's.
 */
final class ContainerDirectories {

    private static final Logger log = LoggerFactory.getLogger(ContainerDirectories.class);

    private ContainerDirectories() {
    }

    static void create(Path directory, List<LaunchPlanner.Link> links) throws IOException {
        Files.createDirectories(directory);
        for (LaunchPlanner.Link link : links) {
            Path at = directory.resolve(link.link());
            Files.createDirectories(at.getParent());
            Files.createSymbolicLink(at, link.target());
        }
    }

    static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> all = Files.walk(directory)) { // walk does not follow links
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.debug("cannot delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("cannot delete container directory {}: {}", directory, e.getMessage());
        }
    }
}
