package dev.konductor.kubelet.node;

import dev.konductor.kubelet.cri.v1.Image;
import io.fabric8.kubernetes.api.model.ContainerImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code status.images} as upstream's kubelet fills it: the biggest images first, at most
 * {@link #MAX_IMAGES}, each named by its repo digests and then its tags, at most
 * {@link #MAX_NAMES} names per image. The scheduler's ImageLocality plugin scores on these. Pure.
 */
public final class NodeImages {

    /** Upstream's --node-status-max-images default. */
    static final int MAX_IMAGES = 50;
    /** Upstream's MaxNamesPerImageInNodeStatus. */
    static final int MAX_NAMES = 5;

    private NodeImages() {
    }

    public static List<ContainerImage> of(List<Image> runtimeImages) {
        List<Image> sorted = new ArrayList<>(runtimeImages);
        sorted.sort(Comparator.comparingLong(Image::getSize).reversed());
        List<ContainerImage> out = new ArrayList<>();
        for (Image image : sorted.subList(0, Math.min(MAX_IMAGES, sorted.size()))) {
            List<String> names = new ArrayList<>(image.getRepoDigestsList());
            names.addAll(image.getRepoTagsList());
            out.add(new ContainerImage(List.copyOf(names.subList(0, Math.min(MAX_NAMES, names.size()))), image.getSize()));
        }
        return out;
    }
}
