package dev.konductor.kubelet.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's images in an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/...}): what the registry serves and {@code konductor image load} adds to.
 * Each reference ({@code docker.io/library/busybox:latest}) is one entry of {@code index.json},
 * annotated with {@code org.opencontainers.image.ref.name} (as containerd's exporter writes it).
 * Writers in several processes take a file lock; readers see a consistent index because it is
 * replaced atomically.
 */
public final class ImageStore {

    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A reference's target: a manifest or an index. */
    public record Descriptor(String mediaType, String digest, long size) {
    }

    private final Path root;
    private Map<String, Descriptor> index = Map.of(); // guarded by this
    private FileTime indexTime; // guarded by this

    public ImageStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("blobs/sha256"));
            Path layout = root.resolve("oci-layout");
            if (!Files.exists(layout)) {
                writeAtomically(layout, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the image store " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** Stores an image's blobs and points each of its references at its manifest. */
    public void add(BuiltImage image) {
        withLock(() -> {
            for (Blob blob : image.blobs()) {
                putBlob(blob.digest(), blob.content());
            }
            Map<String, Descriptor> current = new LinkedHashMap<>(readIndex());
            Descriptor manifest = new Descriptor(image.manifest().mediaType(), image.manifest().digest(), image.manifest().size());
            image.references().forEach(reference -> current.put(reference, manifest));
            writeIndex(current);
        });
    }

    /** Points {@code reference} at an already stored manifest or index. */
    public void tag(String reference, Descriptor target) {
        withLock(() -> {
            if (blob(target.digest()).isEmpty()) {
                throw new IllegalArgumentException("no blob " + target.digest() + " in " + root);
            }
            Map<String, Descriptor> current = new LinkedHashMap<>(readIndex());
            current.put(reference, target);
            writeIndex(current);
        });
    }

    /** Stores a blob whose digest the caller vouches for (it is checked). */
    public void putBlob(String digest, byte[] content) {
        Path file = blobPath(digest);
        if (Files.exists(file)) {
            return;
        }
        if (!Digests.sha256(content).equals(digest)) {
            throw new IllegalArgumentException("content does not match its digest " + digest);
        }
        try {
            writeAtomically(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The file holding a blob, if stored. */
    public Optional<Path> blob(String digest) {
        if (!Digests.isValid(digest)) {
            return Optional.empty();
        }
        Path file = blobPath(digest);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** What a full reference ({@code host/repository:tag}) points at. */
    public synchronized Optional<Descriptor> resolve(String reference) {
        refresh();
        return Optional.ofNullable(index.get(reference));
    }

    /** Every reference and its target. */
    public synchronized Map<String, Descriptor> references() {
        refresh();
        return index;
    }

    private void refresh() {
        Path file = root.resolve("index.json");
        try {
            FileTime time = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (time == null || !time.equals(indexTime)) {
                index = Map.copyOf(readIndex());
                indexTime = time;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private Map<String, Descriptor> readIndex() {
        Path file = root.resolve("index.json");
        Map<String, Descriptor> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (JsonNode m : JSON.readTree(file.toFile()).path("manifests")) {
                String reference = m.path("annotations").path(REF_NAME).asText("");
                if (!reference.isEmpty()) {
                    out.put(reference, new Descriptor(m.path("mediaType").asText(), m.path("digest").asText(),
                            m.path("size").asLong()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void writeIndex(Map<String, Descriptor> references) {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        references.forEach((reference, d) -> {
            ObjectNode m = manifests.addObject();
            m.put("mediaType", d.mediaType());
            m.put("digest", d.digest());
            m.put("size", d.size());
            m.putObject("annotations").put(REF_NAME, reference).put("io.containerd.image.name", reference);
        });
        try {
            writeAtomically(root.resolve("index.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve("index.json"), e);
        }
    }

    private Path blobPath(String digest) {
        return root.resolve("blobs/sha256").resolve(Digests.hex(digest));
    }

    private void withLock(Runnable action) {
        try (FileChannel channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            synchronized (this) {
                action.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + root, e);
        }
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".tmp-", "");
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
