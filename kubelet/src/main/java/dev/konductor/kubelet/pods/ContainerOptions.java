package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.cri.v1.Mount;
import dev.konductor.kubelet.env.EnvResolver;
import dev.konductor.kubelet.volumes.ContainerMounts;
import dev.konductor.kubelet.volumes.PodDirectories;
import dev.konductor.kubelet.volumes.VolumeManager;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a container gets at creation besides its spec, as upstream's
 * GenerateRunContainerOptions makes it: the environment ({@link EnvResolver}), the volume mounts
 * ({@link ContainerMounts}), the kubelet's {@code /etc/hosts} (unless the container mounts its
 * own) and the file behind its {@code terminationMessagePath}. Init containers get theirs the
 * same way.
 */
public final class ContainerOptions {

    private static final Logger log = LoggerFactory.getLogger(ContainerOptions.class);
    /** What the API server defaults terminationMessagePath to. */
    private static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";

    public sealed interface Result permits Generated, ConfigError {
    }

    /** The options, and warnings to record as events on the pod. */
    public record Generated(RunContainerOptions options, List<EnvResolver.Warning> warnings) implements Result {
        public Generated {
            warnings = List.copyOf(warnings);
        }
    }

    /** The container cannot be configured yet (CreateContainerConfigError), in upstream's words. */
    public record ConfigError(String message) implements Result {
    }

    private final EnvResolver env;
    private final VolumeManager volumes;
    private final String clusterDomain;

    public ContainerOptions(EnvResolver env, VolumeManager volumes, String clusterDomain) {
        this.env = env;
        this.volumes = volumes;
        this.clusterDomain = clusterDomain;
    }

    /** @param podIps the sandbox's addresses */
    public Result generate(Pod pod, Container container, int restartCount, List<String> podIps) {
        EnvResolver.Resolved resolved;
        switch (env.resolve(pod, container, podIps)) {
            case EnvResolver.Failed failed -> {
                return new ConfigError(failed.message());
            }
            case EnvResolver.Resolved r -> resolved = r;
        }
        String uid = pod.getMetadata().getUid();
        List<Mount> mounts = new ArrayList<>();
        try {
            mounts.addAll(ContainerMounts.forContainer(container, volumes.mounted(uid), resolved.env()));
        } catch (ContainerMounts.Failed e) {
            return new ConfigError(e.getMessage());
        }
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        boolean ownHosts = mounts.stream().anyMatch(m -> m.getContainerPath().equals(ContainerMounts.ETC_HOSTS));
        if ((!podIps.isEmpty() || hostNetwork) && !ownHosts) {
            try {
                mounts.add(etcHosts(pod, podIps, hostNetwork));
            } catch (IOException e) {
                return new ConfigError(e.getMessage());
            }
        }
        terminationMessage(pod, container, restartCount).ifPresent(mounts::add);
        return new Generated(new RunContainerOptions(resolved.env(), mounts), resolved.warnings());
    }

    private Mount etcHosts(Pod pod, List<String> podIps, boolean hostNetwork) throws IOException {
        PodDirectories dirs = volumes.directories();
        Path file = dirs.etcHosts(pod.getMetadata().getUid());
        var spec = pod.getSpec();
        String content = hostNetwork
                ? EtcHosts.hostNetwork(Files.readString(Path.of(ContainerMounts.ETC_HOSTS)), spec.getHostAliases())
                : EtcHosts.managed(podIps, SandboxConfigs.hostname(pod), domain(pod), spec.getHostAliases());
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return Mount.newBuilder().setContainerPath(ContainerMounts.ETC_HOSTS).setHostPath(file.toString()).build();
    }

    /** {@code sub.ns.svc.<cluster domain>} for a pod with a subdomain; empty otherwise. */
    private String domain(Pod pod) {
        String subdomain = pod.getSpec().getSubdomain();
        if (subdomain == null || subdomain.isEmpty()) {
            return "";
        }
        return subdomain + "." + pod.getMetadata().getNamespace() + ".svc." + clusterDomain;
    }

    /**
     * A fresh, world-writable file for this container instance, mounted at its
     * terminationMessagePath; without it the container just runs without one, as upstream.
     */
    private Optional<Mount> terminationMessage(Pod pod, Container container, int restartCount) {
        String path = container.getTerminationMessagePath() == null
                ? DEFAULT_TERMINATION_MESSAGE_PATH : container.getTerminationMessagePath();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Path file = volumes.directories().terminationMessageFile(pod.getMetadata().getUid(), container.getName(), restartCount);
        try {
            Files.createDirectories(file.getParent());
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-x---"));
            Files.write(file, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            log.warn("cannot create the termination message file pod={}/{} container={}: {}", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), container.getName(), e.getMessage());
            return Optional.empty();
        }
        return Optional.of(Mount.newBuilder().setContainerPath(path).setHostPath(file.toString()).build());
    }
}
