package dev.konductor.kubelet.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds an OCI image (config and manifest) over layers, without any container tool. The JSON is
 * written in a fixed field order with the epoch as creation time, so a build is reproducible.
 */
public final class ImageBuilder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Layer> layers = new ArrayList<>();
    private List<String> entrypoint = List.of();
    private List<String> cmd = List.of();
    private List<String> env = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    private String workingDir = "";
    private String architecture = goArchitecture(System.getProperty("os.arch"));

    public ImageBuilder layer(Layer layer) {
        layers.add(Objects.requireNonNull(layer));
        return this;
    }

    public ImageBuilder entrypoint(List<String> value) {
        entrypoint = List.copyOf(value);
        return this;
    }

    public ImageBuilder cmd(List<String> value) {
        cmd = List.copyOf(value);
        return this;
    }

    public ImageBuilder env(List<String> value) {
        env = List.copyOf(value);
        return this;
    }

    public ImageBuilder workingDir(String value) {
        workingDir = Objects.requireNonNull(value);
        return this;
    }

    public ImageBuilder architecture(String value) {
        architecture = Objects.requireNonNull(value);
        return this;
    }

    public BuiltImage build(List<String> references) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("an image needs at least one layer");
        }
        if (references.isEmpty()) {
            throw new IllegalArgumentException("an image needs at least one reference");
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", architecture);
        config.put("os", "linux");
        config.put("created", "1970-01-01T00:00:00Z");
        ObjectNode runConfig = config.putObject("config");
        strings(runConfig.putArray("Env"), env);
        if (!entrypoint.isEmpty()) {
            strings(runConfig.putArray("Entrypoint"), entrypoint);
        }
        if (!cmd.isEmpty()) {
            strings(runConfig.putArray("Cmd"), cmd);
        }
        if (!workingDir.isEmpty()) {
            runConfig.put("WorkingDir", workingDir);
        }
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(layer -> diffIds.add(layer.diffId()));
        Blob configBlob = new Blob(MediaTypes.OCI_CONFIG, bytes(config));

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        descriptor(manifest.putObject("config"), configBlob);
        ArrayNode layerDescriptors = manifest.putArray("layers");
        layers.forEach(layer -> descriptor(layerDescriptors.addObject(), layer.blob()));
        Blob manifestBlob = new Blob(MediaTypes.OCI_MANIFEST, bytes(manifest));
        return new BuiltImage(references, manifestBlob, configBlob, layers.stream().map(Layer::blob).toList());
    }

    static void descriptor(ObjectNode node, Blob blob) {
        node.put("mediaType", blob.mediaType());
        node.put("digest", blob.digest());
        node.put("size", blob.size());
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM's {@code os.arch} in Go's (and so OCI's) terms. */
    static String goArchitecture(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> javaArch;
        };
    }
}
