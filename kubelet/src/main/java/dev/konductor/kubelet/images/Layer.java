package dev.konductor.kubelet.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A filesystem layer: a gzipped tar ({@link #blob()}) and the digest of the uncompressed tar
 * ({@link #diffId()}, what an image config lists in {@code rootfs.diff_ids}).
 */
public record Layer(Blob blob, String diffId) {

    public static Builder builder() {
        return new Builder();
    }

    /** Collects entries in the order they will appear in the archive; parents first. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private sealed interface Entry {
        }

        private record Directory(String path, int mode) implements Entry {
        }

        private record RegularFile(String path, int mode, byte[] content) implements Entry {
        }

        private record Symlink(String path, String target) implements Entry {
        }

        public Builder directory(String path, int mode) {
            entries.add(new Directory(relative(path), mode));
            return this;
        }

        public Builder file(String path, int mode, byte[] content) {
            entries.add(new RegularFile(relative(path), mode, content));
            return this;
        }

        public Builder symlink(String path, String target) {
            entries.add(new Symlink(relative(path), target));
            return this;
        }

        public Layer build() {
            try {
                ByteArrayOutputStream tar = new ByteArrayOutputStream();
                try (TarWriter writer = new TarWriter(tar)) {
                    for (Entry entry : entries) {
                        switch (entry) {
                            case Directory d -> writer.directory(d.path(), d.mode());
                            case RegularFile f -> writer.file(f.path(), f.mode(), f.content());
                            case Symlink s -> writer.symlink(s.path(), s.target());
                        }
                    }
                }
                byte[] uncompressed = tar.toByteArray();
                ByteArrayOutputStream gzipped = new ByteArrayOutputStream(uncompressed.length / 2);
                // GZIPOutputStream writes a fixed header (no file name, time zero): the bytes are reproducible.
                try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
                    gzip.write(uncompressed);
                }
                return new Layer(new Blob(MediaTypes.OCI_LAYER_GZIP, gzipped.toByteArray()), Digests.sha256(uncompressed));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write an in-memory layer", e);
            }
        }

        private static String relative(String path) {
            String p = path.startsWith("/") ? path.substring(1) : path;
            if (p.isEmpty() || p.contains("..")) {
                throw new IllegalArgumentException("bad layer path: " + path);
            }
            return p;
        }
    }
}
