package dev.konductor.kubelet.containerd;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the generated containerd configuration depends on.
 *
 * @param layout        where containerd's files live
 * @param sandboxImage  the pause image (built by the project, served by the cluster registry)
 * @param registryUrl   the cluster's registry ({@code http://127.0.0.1:PORT}): the only
 *                      endpoint any image is pulled from
 * @param mirroredHosts the registry host names that resolve to {@code registryUrl}
 * @param cniBinDir     where the CNI plugins are ({@code /usr/lib/cni} on Debian)
 * @param runc          the runc binary
 * @param network       the pod network
 */
public record ContainerdSettings(ContainerdLayout layout, String sandboxImage, String registryUrl,
                                 List<String> mirroredHosts, Path cniBinDir, Path runc, PodNetwork network) {

    /** Registries whose names users type; every one is pointed at the cluster registry. */
    public static final List<String> DEFAULT_MIRRORED_HOSTS = List.of("docker.io", "registry.k8s.io", "quay.io",
            "ghcr.io", "gcr.io", "public.ecr.aws", "mcr.microsoft.com", "konductor.local");

    public ContainerdSettings {
        Objects.requireNonNull(layout);
        Objects.requireNonNull(sandboxImage);
        Objects.requireNonNull(registryUrl);
        mirroredHosts = List.copyOf(mirroredHosts);
        Objects.requireNonNull(cniBinDir);
        Objects.requireNonNull(runc);
        Objects.requireNonNull(network);
        if (!registryUrl.startsWith("http://") && !registryUrl.startsWith("https://")) {
            throw new IllegalArgumentException("registry URL must be http:// or https://: " + registryUrl);
        }
    }
}
