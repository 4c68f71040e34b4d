package dev.konductor.kubelet.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Loads image archives into an {@link ImageStore}: OCI image layout tarballs (as
 * {@code ctr images export} or {@code skopeo copy oci-archive:} write them) and docker-archive
 * tarballs ({@code docker save}), gzipped or not. Returns the references added.
 */
public final class ImageArchives {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";

    private ImageArchives() {
    }

    public static List<String> load(Path archive, ImageStore store) throws IOException {
        Path work = Files.createTempDirectory(store.root(), ".load-");
        try {
            try (InputStream in = open(archive)) {
                TarReader.extract(in, work);
            }
            if (Files.exists(work.resolve("index.json")) && Files.isDirectory(work.resolve("blobs"))) {
                return loadOciLayout(work, store);
            }
            if (Files.exists(work.resolve("manifest.json"))) {
                return loadDockerArchive(work, store);
            }
            throw new IOException(archive + " is neither an OCI image layout nor a docker-archive tarball");
        } finally {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static InputStream open(Path archive) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(archive));
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
    }

    private static List<String> loadOciLayout(Path dir, ImageStore store) throws IOException {
        try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
            for (Path blob : blobs.toList()) {
                store.putBlob("sha256:" + blob.getFileName(), Files.readAllBytes(blob));
            }
        }
        List<String> added = new ArrayList<>();
        for (JsonNode m : JSON.readTree(dir.resolve("index.json").toFile()).path("manifests")) {
            JsonNode annotations = m.path("annotations");
            String name = annotations.path("io.containerd.image.name").asText("");
            if (name.isEmpty()) {
                name = annotations.path(ImageStore.REF_NAME).asText("");
            }
            if (name.isEmpty() || !(name.contains("/") || name.contains(":"))) {
                continue; // a bare tag names no repository
            }
            String reference = ImageReferences.normalize(name);
            store.tag(reference, new ImageStore.Descriptor(m.path("mediaType").asText(), m.path("digest").asText(),
                    m.path("size").asLong()));
            added.add(reference);
        }
        if (added.isEmpty()) {
            throw new IOException("the archive's index.json names no image (no io.containerd.image.name or "
                    + "org.opencontainers.image.ref.name annotation with a repository)");
        }
        return added;
    }

    private static List<String> loadDockerArchive(Path dir, ImageStore store) throws IOException {
        List<String> added = new ArrayList<>();
        for (JsonNode image : JSON.readTree(dir.resolve("manifest.json").toFile())) {
            byte[] config = Files.readAllBytes(safe(dir, image.path("Config").asText()));
            Blob configBlob = new Blob(MediaTypes.OCI_CONFIG, config);
            store.putBlob(configBlob.digest(), config);
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
            ImageBuilder.descriptor(manifest.putObject("config"), configBlob);
            ArrayNode layers = manifest.putArray("layers");
            for (JsonNode layerPath : image.path("Layers")) {
                byte[] layer = Files.readAllBytes(safe(dir, layerPath.asText()));
                boolean gzipped = layer.length > 2 && (layer[0] & 0xff) == 0x1f && (layer[1] & 0xff) == 0x8b;
                Blob blob = new Blob(gzipped ? MediaTypes.OCI_LAYER_GZIP : OCI_LAYER_TAR, layer);
                store.putBlob(blob.digest(), layer);
                ImageBuilder.descriptor(layers.addObject(), blob);
            }
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            Blob manifestBlob = new Blob(MediaTypes.OCI_MANIFEST, manifestBytes);
            store.putBlob(manifestBlob.digest(), manifestBytes);
            for (JsonNode tag : image.path("RepoTags")) {
                String reference = ImageReferences.normalize(tag.asText());
                store.tag(reference, new ImageStore.Descriptor(MediaTypes.OCI_MANIFEST, manifestBlob.digest(), manifestBlob.size()));
                added.add(reference);
            }
        }
        return added;
    }

    private static Path safe(Path dir, String relative) throws IOException {
        Path file = dir.resolve(relative).normalize();
        if (!file.startsWith(dir)) {
            throw new IOException("archive path outside the archive: " + relative);
        }
        return file;
    }
}
