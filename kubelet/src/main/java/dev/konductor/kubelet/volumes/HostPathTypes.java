package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code hostPath} {@code type} checks, with upstream's behaviour and messages:
 * {@code DirectoryOrCreate} makes the directory (0755) and {@code FileOrCreate} the file (0644,
 * the parent must exist) when nothing is there; the others only check what is there (symlinks
 * followed). An empty type checks nothing.
 */
final class HostPathTypes {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFREG = 0100000;

    private HostPathTypes() {
    }

    static void check(Path path, String type) throws SetUpException {
        if (type == null || type.isEmpty()) {
            return;
        }
        Optional<Integer> kind = fileType(path);
        switch (type) {
            case "DirectoryOrCreate" -> {
                if (kind.isEmpty()) {
                    create(path, true);
                    return;
                }
                requireKind(path, kind, S_IFDIR, "is not a directory");
            }
            case "Directory" -> requireKind(path, kind, S_IFDIR, "is not a directory");
            case "FileOrCreate" -> {
                if (kind.isEmpty()) {
                    create(path, false);
                    return;
                }
                requireKind(path, kind, S_IFREG, "is not a file");
            }
            case "File" -> requireKind(path, kind, S_IFREG, "is not a file");
            case "Socket" -> requireKind(path, kind.or(() -> Optional.of(0)), S_IFSOCK, "is not a socket file");
            case "CharDevice" -> requireKind(path, kind.or(() -> Optional.of(0)), S_IFCHR, "is not a character device");
            case "BlockDevice" -> requireKind(path, kind.or(() -> Optional.of(0)), S_IFBLK, "is not a block device");
            default -> throw new SetUpException(type + " is an invalid volume type");
        }
    }

    private static void requireKind(Path path, Optional<Integer> kind, int wanted, String otherwise) throws SetUpException {
        if (kind.isEmpty()) {
            throw new SetUpException("hostPath type check failed: " + path + " does not exist");
        }
        if (kind.get() != wanted) {
            throw new SetUpException("hostPath type check failed: " + path + " " + otherwise);
        }
    }

    /** The S_IFMT bits of what is at {@code path} (following symlinks); empty when nothing is there. */
    static Optional<Integer> fileType(Path path) throws SetUpException {
        try {
            return Optional.of((Integer) Files.getAttribute(path, "unix:mode") & S_IFMT);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            throw new SetUpException("hostPath type check failed: " + path + ": " + e.getMessage());
        }
    }

    private static void create(Path path, boolean directory) throws SetUpException {
        try {
            if (directory) {
                Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } else {
                Files.newByteChannel(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))).close();
            }
        } catch (NoSuchFileException e) {
            throw new SetUpException("open " + path + ": no such file or directory");
        } catch (IOException e) {
            throw new SetUpException((directory ? "mkdir " : "open ") + path + ": " + e.getMessage());
        }
    }
}
