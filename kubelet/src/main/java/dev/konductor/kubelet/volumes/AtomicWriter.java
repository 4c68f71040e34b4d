package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a volume's files so that a reader never sees half an update, the way upstream's
 * AtomicWriter does (and what programs watching ConfigMap volumes expect): the files go into a
 * fresh timestamped directory ({@code ..2024_05_01_12_00_00.123}), the {@code ..data} symlink is
 * switched to it by one rename, and each top-level name is a symlink through {@code ..data}
 * ({@code key -> ..data/key}). Names the new payload lacks disappear; the old directory is
 * removed. Nothing is written when the payload is what is already there.
 */
public final class AtomicWriter {

    public static final String DATA_DIR = "..data";
    private static final String DATA_DIR_TMP = "..data_tmp";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss'.'")
            .withZone(ZoneOffset.UTC);

    private final Path target;
    private final Clock clock;

    public AtomicWriter(Path target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    /** Replaces the volume's content with {@code payload} (relative paths); returns whether anything changed. */
    public boolean write(Map<String, FileProjection> payload) throws IOException {
        Map<String, FileProjection> files = new TreeMap<>();
        for (Map.Entry<String, FileProjection> entry : payload.entrySet()) {
            files.put(validate(entry.getKey()), entry.getValue());
        }
        Files.createDirectories(target);
        Optional<Path> oldDir = currentDataDirectory();
        Set<String> newTop = topLevelNames(files.keySet());
        Set<String> oldTop = oldDir.isPresent() ? listNames(oldDir.get()) : Set.of();
        if (oldDir.isPresent() && oldTop.equals(newTop) && sameContent(oldDir.get(), files) && visibleLinksPresent(newTop)) {
            return false;
        }
        Path newDir = Files.createTempDirectory(target, STAMP.format(clock.instant()));
        for (Map.Entry<String, FileProjection> file : files.entrySet()) {
            writeFile(newDir.resolve(file.getKey()), file.getValue());
        }
        openDirectories(newDir);
        Path tmpLink = target.resolve(DATA_DIR_TMP);
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, newDir.getFileName());
        Files.move(tmpLink, target.resolve(DATA_DIR), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String name : newTop) {
            Path link = target.resolve(name);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of(DATA_DIR, name));
            }
        }
        for (String name : oldTop) {
            if (!newTop.contains(name)) {
                Path link = target.resolve(name);
                if (Files.isSymbolicLink(link)) {
                    Files.delete(link);
                }
            }
        }
        if (oldDir.isPresent()) {
            deleteTree(oldDir.get());
        }
        return true;
    }

    /** Upstream's rules: relative, no {@code ..} element, not starting with {@code ..}, not empty. */
    static String validate(String path) throws IOException {
        if (path == null || path.isEmpty()) {
            throw new IOException("invalid path: must not be empty: " + path);
        }
        if (path.startsWith("/")) {
            throw new IOException("invalid path: must be relative path: " + path);
        }
        if (path.length() > 4096) {
            throw new IOException("invalid path: must be less than or equal to 4096 characters: " + path);
        }
        if (path.startsWith("..")) {
            throw new IOException("invalid path: must not start with '..': " + path);
        }
        for (String element : path.split("/")) {
            if (element.equals("..")) {
                throw new IOException("invalid path: must not contain '..': " + path);
            }
            if (element.length() > 255) {
                throw new IOException("invalid path: element must be less than or equal to 255 characters: " + path);
            }
        }
        String clean = Path.of(path).normalize().toString();
        if (clean.isEmpty() || clean.equals(".")) {
            throw new IOException("invalid path: must not be empty: " + path);
        }
        return clean;
    }

    private Optional<Path> currentDataDirectory() throws IOException {
        Path link = target.resolve(DATA_DIR);
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        Path dir = target.resolve(Files.readSymbolicLink(link));
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? Optional.of(dir) : Optional.empty();
    }

    private static Set<String> topLevelNames(Set<String> paths) {
        Set<String> names = new HashSet<>();
        for (String path : paths) {
            int slash = path.indexOf('/');
            names.add(slash < 0 ? path : path.substring(0, slash));
        }
        return names;
    }

    private static Set<String> listNames(Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(e -> names.add(e.getFileName().toString()));
        }
        return names;
    }

    /** Every file of the payload is there with the same bytes and mode, and nothing else. */
    private static boolean sameContent(Path dir, Map<String, FileProjection> files) throws IOException {
        long present;
        try (Stream<Path> all = Files.walk(dir)) {
            present = all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).count();
        }
        if (present != files.size()) {
            return false;
        }
        for (Map.Entry<String, FileProjection> file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                    || !Arrays.equals(Files.readAllBytes(path), file.getValue().data())
                    || mode(path) != file.getValue().mode()) {
                return false;
            }
        }
        return true;
    }

    private boolean visibleLinksPresent(Set<String> names) {
        return names.stream().allMatch(n -> Files.isSymbolicLink(target.resolve(n)));
    }

    private static void writeFile(Path path, FileProjection file) throws IOException {
        Files.createDirectories(path.getParent());
        try {
            Files.write(path, file.data(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("two payload paths name the same file: " + path, e);
        }
        Files.setPosixFilePermissions(path, permissions(file.mode()));
    }

    /** Directories of the payload are 0755 whatever the umask, as upstream makes them. */
    private static void openDirectories(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    private static int mode(Path path) throws IOException {
        Set<PosixFilePermission> set = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (int bit = 0; bit < 9; bit++) {
            if (set.contains(permissionsOf(bit))) {
                mode |= 1 << bit;
            }
        }
        return mode;
    }

    private static PosixFilePermission permissionsOf(int bit) {
        return permissions(1 << bit).iterator().next();
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
