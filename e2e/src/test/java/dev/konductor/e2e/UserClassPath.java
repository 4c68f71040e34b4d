package dev.konductor.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A class path another user can read: for a server the tests start as an unprivileged user,
 * while this JVM (root) reads its jars from root's own Maven repository.
 */
final class UserClassPath {

    private UserClassPath() {
    }

    /** {@code classPath} with every entry another user cannot read replaced by a copy in {@code copies}. */
    static String readableCopy(String classPath, Path copies) throws IOException {
        Files.createDirectories(copies);
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String entry : classPath.split(":")) {
            Path path = Path.of(entry);
            if (entry.isEmpty() || !Files.exists(path) || readableByAll(path)) {
                out.add(entry);
                continue;
            }
            Path copy = copies.resolve((n++) + "-" + path.getFileName());
            Files.copy(path, copy);
            out.add(copy.toString());
        }
        return String.join(":", out);
    }

    /** Hands a directory tree to {@code uid} (and the group of the same number). */
    static void chownTree(Path dir, int uid) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.forEach(p -> {
                try {
                    Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The file is readable by others and so is every directory on the way to it. */
    private static boolean readableByAll(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Set<PosixFilePermission> own = Files.getPosixFilePermissions(absolute);
        if (!own.contains(PosixFilePermission.OTHERS_READ)) {
            return false;
        }
        for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }
}
