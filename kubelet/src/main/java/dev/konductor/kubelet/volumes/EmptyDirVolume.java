package dev.konductor.kubelet.volumes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code emptyDir}: a directory of the pod's, shared by its containers, gone with the pod; with
 * {@code medium: Memory} a tmpfs, sized as upstream sizes it: the node's allocatable memory,
 * less when the pod's memory limit or the volume's {@code sizeLimit} is smaller. The Secret,
 * downward API and projected volumes sit on such a tmpfs too, so their content never touches the
 * disk.
 */
record EmptyDirVolume(String name, EmptyDirVolumeSource source) implements PodVolume {

    static final String PLUGIN = "kubernetes.io~empty-dir";

    @Override
    public Path setUp(Pod pod, VolumeHost host) throws SetUpException {
        Path dir = host.dirs().volume(pod.getMetadata().getUid(), PLUGIN, name);
        String medium = source == null || source.getMedium() == null ? "" : source.getMedium();
        switch (medium) {
            case "" -> makeDirectory(dir);
            case "Memory" -> setUpTmpfs(dir, pod, host, source.getSizeLimit());
            default -> throw new SetUpException("emptyDir medium " + medium + " is not supported on this node");
        }
        return dir;
    }

    /** A world-writable directory, as upstream's emptyDir (0777 whatever the umask). */
    static void makeDirectory(Path dir) throws SetUpException {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new SetUpException(SetUpException.SET_UP, "cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory with a tmpfs on it (mounted once; later calls find it mounted). */
    static void setUpTmpfs(Path dir, Pod pod, VolumeHost host, Quantity sizeLimit) throws SetUpException {
        makeDirectory(dir);
        try {
            if (!host.mounter().isMountPoint(dir)) {
                host.mounter().mountTmpfs(dir, memorySize(pod, host.objects().nodeAllocatable(), sizeLimit));
            }
        } catch (IOException e) {
            throw new SetUpException(SetUpException.SET_UP, e.getMessage(), e);
        }
    }

    /**
     * Upstream's tmpfs size: node allocatable memory, lowered to the pod's memory limit (when all
     * its containers declare one) and to {@code sizeLimit}; empty when nothing is known.
     */
    static OptionalLong memorySize(Pod pod, Map<String, Quantity> nodeAllocatable, Quantity sizeLimit) {
        Optional<BigDecimal> size = bytes(nodeAllocatable.get("memory"));
        Optional<BigDecimal> podLimit = podMemoryLimit(pod);
        if (podLimit.isPresent() && podLimit.get().signum() > 0 && (size.isEmpty() || podLimit.get().compareTo(size.get()) < 0)) {
            size = podLimit;
        }
        Optional<BigDecimal> limit = bytes(sizeLimit);
        if (limit.isPresent() && limit.get().signum() > 0 && (size.isEmpty() || limit.get().compareTo(size.get()) < 0)) {
            size = limit;
        }
        return size.map(s -> OptionalLong.of(s.setScale(0, RoundingMode.CEILING).longValueExact())).orElse(OptionalLong.empty());
    }

    /** The larger of the sum of the app containers' limits and the largest init container's; empty if any has none. */
    static Optional<BigDecimal> podMemoryLimit(Pod pod) {
        List<Container> containers = Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of());
        List<Container> inits = Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of());
        BigDecimal sum = BigDecimal.ZERO;
        for (Container c : containers) {
            Optional<BigDecimal> limit = memoryLimit(c);
            if (limit.isEmpty()) {
                return Optional.empty();
            }
            sum = sum.add(limit.get());
        }
        BigDecimal largestInit = BigDecimal.ZERO;
        for (Container c : inits) {
            Optional<BigDecimal> limit = memoryLimit(c);
            if (limit.isEmpty()) {
                return Optional.empty();
            }
            largestInit = largestInit.max(limit.get());
        }
        return Optional.of(sum.max(largestInit));
    }

    private static Optional<BigDecimal> memoryLimit(Container c) {
        if (c.getResources() == null || c.getResources().getLimits() == null) {
            return Optional.empty();
        }
        return bytes(c.getResources().getLimits().get("memory"));
    }

    private static Optional<BigDecimal> bytes(Quantity q) {
        if (q == null || q.getAmount() == null || q.getAmount().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Quantity.getAmountInBytes(q));
    }

    @Override
    public boolean managesOwnership() {
        return true;
    }
}
