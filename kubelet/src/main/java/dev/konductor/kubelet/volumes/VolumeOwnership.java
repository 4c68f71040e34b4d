package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * A pod's {@code fsGroup} on the volumes the node makes for it, as upstream's
 * SetVolumeOwnership: everything in the volume is given the group, readable by it (and writable
 * unless the volume is read-only), and directories are set-group-ID so that what the containers
 * create there belongs to the group too. Symbolic links are given the group, never followed.
 */
final class VolumeOwnership {

    private VolumeOwnership() {
    }

    static void apply(Path volume, long fsGroup, boolean readOnly) throws IOException {
        Files.walkFileTree(volume, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                own(dir, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    Files.setAttribute(file, "unix:gid", (int) fsGroup, LinkOption.NOFOLLOW_LINKS);
                } else {
                    own(file, false);
                }
                return FileVisitResult.CONTINUE;
            }

            /** One read of the file's group and mode; a write only of what differs (the volume is set up at every sync). */
            private void own(Path path, boolean directory) throws IOException {
                Map<String, Object> now = Files.readAttributes(path, "unix:gid,mode", LinkOption.NOFOLLOW_LINKS);
                if ((int) now.get("gid") != (int) fsGroup) {
                    Files.setAttribute(path, "unix:gid", (int) fsGroup, LinkOption.NOFOLLOW_LINKS);
                }
                int mode = (int) now.get("mode") & 07777;
                int wanted = mode | (readOnly ? 0040 : 0060) | (directory ? 02010 : 0); // directories: set-group-ID, searchable
                if (wanted != mode) {
                    Files.setAttribute(path, "unix:mode", wanted, LinkOption.NOFOLLOW_LINKS);
                }
            }
        });
    }
}
