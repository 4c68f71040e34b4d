package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

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

            private void own(Path path, boolean directory) throws IOException {
                Files.setAttribute(path, "unix:gid", (int) fsGroup, LinkOption.NOFOLLOW_LINKS);
                int mode = (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                mode |= readOnly ? 0040 : 0060;
                if (directory) {
                    mode |= 02010; // set-group-ID, and searchable by the group
                }
                Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
            }
        });
    }
}
