package dev.konductor.kubelet.runtime;

import dev.konductor.kubelet.cri.v1.AttachRequest;
import dev.konductor.kubelet.cri.v1.Container;
import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.ContainerStats;
import dev.konductor.kubelet.cri.v1.ContainerStatus;
import dev.konductor.kubelet.cri.v1.FilesystemUsage;
import dev.konductor.kubelet.cri.v1.ExecRequest;
import dev.konductor.kubelet.cri.v1.Image;
import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.cri.v1.PodSandbox;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.cri.v1.PodSandboxStatus;
import dev.konductor.kubelet.cri.v1.PortForwardRequest;
import dev.konductor.kubelet.cri.v1.StatusResponse;
import dev.konductor.kubelet.cri.v1.VersionResponse;
import java.util.List;
import java.util.Optional;

/**
 * The node agent's view of a container runtime, in CRI's own terms and types (as upstream's
 * kubelet speaks runtime.v1 to every runtime). Backends: {@code cri} (containerd over gRPC) and
 * {@code process} (containers as host processes, for machines without root or containerd).
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

    /** CPU (cumulative) and memory (working set) of every running container, as the runtime reads its cgroups. */
    List<ContainerStats> listContainerStats();

    /** Pulls an image; returns its reference (image id or repo digest). */
    String pullImage(ImageSpec image, PodSandboxConfig sandboxConfig);

    Optional<Image> imageStatus(ImageSpec image);

    List<Image> listImages();

    /** The filesystems holding the runtime's images (ImageFsInfo), each with its mount point. */
    List<FilesystemUsage> imageFilesystems();

    @Override
    void close();

    /**
     * How this runtime runs pods when not as isolated containers, in a sentence for users: the
     * kubelet says it in an event on each pod whose sandbox it creates and on the node. Empty for
     * real containers.
     */
    default Optional<String> isolationNotice() {
        return Optional.empty();
    }

    /**
     * For a runtime that pulls no images: what it runs instead of {@code image}, which the kubelet
     * says in the container's {@code Pulled} event instead of looking the image up or pulling it.
     * Empty for a runtime that pulls images.
     */
    default Optional<String> imageSubstitute(String image) {
        return Optional.empty();
    }

    // Streaming: the runtime serves exec, attach and port-forward sessions itself, at a one-time
    // URL (containerd's CRI streaming server); the kubelet relays the API server's upgraded
    // connection there. A runtime without such a server can run one of its own on loopback.

    /** Prepares a command's session in a running container; returns the URL that serves it. */
    String exec(ExecRequest request);

    /** Prepares a session attached to a running container's main process; returns its URL. */
    String attach(AttachRequest request);

    /** Prepares port-forwarding into a sandbox's network namespace; returns its URL. */
    String portForward(PortForwardRequest request);

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

    /**
     * A runtime call that failed. Its message is the whole error as upstream's kubelet prints a
     * CRI error ({@code rpc error: code = NotFound desc = ...}); {@link #description()} is the
     * runtime's own words alone, which upstream puts in container events and waiting messages;
     * {@link #notFound()} tells a missing object apart.
     */
    final class RuntimeException extends java.lang.RuntimeException {
        private final String description;
        private final boolean notFound;

        public RuntimeException(String message, String description, boolean notFound, Throwable cause) {
            super(message, cause);
            this.description = description;
            this.notFound = notFound;
        }

        public String description() {
            return description;
        }

        public boolean notFound() {
            return notFound;
        }
    }
}
