package dev.konductor.kubelet.volumes;

import dev.konductor.kubelet.cri.v1.Mount;
import dev.konductor.kubelet.cri.v1.MountPropagation;
import dev.konductor.kubelet.env.Expansion;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A container's {@code volumeMounts} as CRI mounts (upstream's makeMounts): the set-up volume's
 * host path, or a path inside it for {@code subPath} / {@code subPathExpr} ({@code $(VAR)}
 * from the container's environment; created as a directory when missing, with the volume's
 * permissions, and refused when it leads outside the volume); read-only when the mount or the
 * volume says so; mount propagation as CRI has it.
 */
public final class ContainerMounts {

    public static final String ETC_HOSTS = "/etc/hosts";

    /** The container cannot be given its mounts; the message is upstream's. */
    public static final class Failed extends Exception {
        public Failed(String message) {
            super(message);
        }
    }

    private ContainerMounts() {
    }

    public static List<Mount> forContainer(Container container, Map<String, VolumeManager.MountedVolume> volumes,
                                           Map<String, String> env) throws Failed {
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
            VolumeManager.MountedVolume volume = volumes.get(mount.getName());
            if (volume == null) {
                throw new Failed("cannot find volume \"" + mount.getName() + "\" to mount into container \"" + container.getName() + "\"");
            }
            Path hostPath = volume.hostPath();
            String subPath = subPath(mount, env);
            if (!subPath.isEmpty()) {
                hostPath = subPathOf(volume.hostPath(), subPath, mount.getName(), container.getName());
            }
            mounts.add(Mount.newBuilder()
                    .setContainerPath(mount.getMountPath())
                    .setHostPath(hostPath.toString())
                    .setReadonly(Boolean.TRUE.equals(mount.getReadOnly()) || volume.readOnly())
                    .setRecursiveReadOnly(recursiveReadOnly(mount))
                    .setPropagation(propagation(mount.getMountPropagation()))
                    .build());
        }
        return mounts;
    }

    static String subPath(VolumeMount mount, Map<String, String> env) throws Failed {
        String subPath = mount.getSubPath() == null ? "" : mount.getSubPath();
        if (mount.getSubPathExpr() != null && !mount.getSubPathExpr().isEmpty()) {
            Set<String> missing = new TreeSet<>();
            subPath = Expansion.expand(mount.getSubPathExpr(), key -> {
                String value = env.get(key);
                if (value == null || value.isEmpty()) {
                    missing.add(key);
                    return "";
                }
                return value;
            });
            if (!missing.isEmpty()) {
                throw new Failed("missing value for " + String.join(", ", missing));
            }
        }
        if (subPath.isEmpty()) {
            return subPath;
        }
        if (subPath.startsWith("/")) {
            throw new Failed("error SubPath `" + subPath + "` must not be an absolute path");
        }
        if (List.of(subPath.split("/")).contains("..")) {
            throw new Failed("unable to provision SubPath `" + subPath + "`: must not contain '..'");
        }
        return subPath;
    }

    /**
     * The sub path's real location, made as a directory when missing. A symlink a container
     * placed in the volume cannot lead the mount out of it.
     */
    static Path subPathOf(Path volume, String subPath, String volumeName, String containerName) throws Failed {
        Path path = volume.resolve(subPath);
        try {
            Path realVolume = volume.toRealPath();
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                Path existing = path.getParent();
                while (!Files.exists(existing)) {
                    existing = existing.getParent();
                }
                if (!existing.toRealPath().startsWith(realVolume)) {
                    throw new Failed("failed to create subPath directory for volumeMount \"" + volumeName
                            + "\" of container \"" + containerName + "\"");
                }
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(volume);
                Files.createDirectories(path);
                for (Path p = path; !p.equals(volume) && p.startsWith(volume); p = p.getParent()) {
                    Files.setPosixFilePermissions(p, permissions);
                }
            }
            Path real = path.toRealPath();
            if (!real.startsWith(realVolume)) {
                throw new Failed("failed to prepare subPath for volumeMount \"" + volumeName + "\" of container \"" + containerName + "\"");
            }
            return real;
        } catch (IOException e) {
            throw new Failed("failed to prepare subPath for volumeMount \"" + volumeName + "\" of container \"" + containerName + "\"");
        }
    }

    static MountPropagation propagation(String mode) throws Failed {
        if (mode == null || mode.isEmpty() || mode.equals("None")) {
            return MountPropagation.PROPAGATION_PRIVATE;
        }
        return switch (mode) {
            case "HostToContainer" -> MountPropagation.PROPAGATION_HOST_TO_CONTAINER;
            case "Bidirectional" -> MountPropagation.PROPAGATION_BIDIRECTIONAL;
            default -> throw new Failed("invalid MountPropagation mode: \"" + mode + "\"");
        };
    }

    /** containerd here cannot make mounts recursively read-only: "Enabled" fails as upstream says, "IfPossible" does not. */
    private static boolean recursiveReadOnly(VolumeMount mount) throws Failed {
        if ("Enabled".equals(mount.getRecursiveReadOnly())) {
            throw new Failed("failed to resolve recursive read-only mode: volume \"" + mount.getName()
                    + "\" requested recursive read-only mode, but it is not supported by the runtime");
        }
        return false;
    }
}
