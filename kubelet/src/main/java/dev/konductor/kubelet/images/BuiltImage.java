package dev.konductor.kubelet.images;

import java.util.ArrayList;
import java.util.List;

/**
 * An image as the project builds it: its manifest, config and layers, and the references
 * (e.g. {@code docker.io/library/busybox:latest}) it is known by.
 */
public record BuiltImage(List<String> references, Blob manifest, Blob config, List<Blob> layers) {

    public BuiltImage {
        references = List.copyOf(references);
        layers = List.copyOf(layers);
    }

    /** Every blob: layers, config, then the manifest. */
    public List<Blob> blobs() {
        List<Blob> all = new ArrayList<>(layers);
        all.add(config);
        all.add(manifest);
        return all;
    }
}
