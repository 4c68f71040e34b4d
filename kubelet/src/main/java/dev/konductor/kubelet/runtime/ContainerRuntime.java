package dev.konductor.kubelet.runtime;

import dev.konductor.kubelet.cri.v1.Container;
import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.ContainerStatus;
import dev.konductor.kubelet.cri.v1.Image;
import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.cri.v1.PodSandbox;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.cri.v1.PodSandboxStatus;
import dev.konductor.kubelet.cri.v1.StatusResponse;
import dev.konductor.kubelet.cri.v1.VersionResponse;
import java.util.List;
import java.util.Optional;

/**
 * The node agent's view of a container runtime, in CRI's own terms and types (as upstream's
 * kubelet speaks runtime.v1 to every runtime). Backends: {@code cri} (containerd over gRPC);
 * later {@code process} and {@code sim}.
 *
 * <p>Every method blocks; failures are {@link RuntimeException}s, a missing object a
 * {@link RuntimeException} whose {@link RuntimeException#notFound()} is true.
 */
public interface ContainerRuntime extends AutoCloseable {

    VersionResponse version();

    /** The runtime's RuntimeReady and NetworkReady conditions. */
    StatusResponse status();

    String runPodSandbox(PodSandboxConfig config);

    /** Stops every container of the sandbox and releases its network; idempotent. */
    void stopPodSandbox(String sandboxId);

    void removePodSandbox(String sandboxId);

    PodSandboxStatus podSandboxStatus(String sandboxId);

    List<PodSandbox> listPodSandboxes(PodSandboxFilter filter);

    String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig);

    void startContainer(String containerId);

    /** Sends the stop signal, waits up to {@code timeoutSeconds}, then kills. */
    void stopContainer(String containerId, long timeoutSeconds);

    void removeContainer(String containerId);

    List<Container> listContainers(ContainerFilter filter);

    ContainerStatus containerStatus(String containerId);

    /** Pulls an image; returns its reference (image id or repo digest). */
    String pullImage(ImageSpec image, PodSandboxConfig sandboxConfig);

    Optional<Image> imageStatus(ImageSpec image);

    List<Image> listImages();

    @Override
    void close();

    /**
     * Runs {@code command} in a running container and waits for it, at most {@code timeout}
     * (as probes and exec hooks do); a command still running then is an
     * {@link ExecTimeoutException}.
     */
    ExecResult execSync(String containerId, List<String> command, java.time.Duration timeout);

    /** What a command run by {@link #execSync} left: its exit code and output. */
    record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
    }

    /** {@link #execSync}'s command outlived its timeout. */
    final class ExecTimeoutException extends java.lang.RuntimeException {
        public ExecTimeoutException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A runtime call that failed; {@link #notFound()} tells a missing object apart. */
    final class RuntimeException extends java.lang.RuntimeException {
        private final boolean notFound;

        public RuntimeException(String message, boolean notFound, Throwable cause) {
            super(message, cause);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }
}
