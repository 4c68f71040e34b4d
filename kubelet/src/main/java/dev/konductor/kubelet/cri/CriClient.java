package dev.konductor.kubelet.cri;

import dev.konductor.kubelet.cri.v1.AttachRequest;
import dev.konductor.kubelet.cri.v1.Container;
import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.ContainerStatus;
import dev.konductor.kubelet.cri.v1.ContainerStatusRequest;
import dev.konductor.kubelet.cri.v1.ContainerStats;
import dev.konductor.kubelet.cri.v1.CreateContainerRequest;
import dev.konductor.kubelet.cri.v1.FilesystemUsage;
import dev.konductor.kubelet.cri.v1.ExecRequest;
import dev.konductor.kubelet.cri.v1.ExecSyncRequest;
import dev.konductor.kubelet.cri.v1.Image;
import dev.konductor.kubelet.cri.v1.ImageServiceGrpc;
import dev.konductor.kubelet.cri.v1.ImageFsInfoRequest;
import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.cri.v1.ImageStatusRequest;
import dev.konductor.kubelet.cri.v1.ImageStatusResponse;
import dev.konductor.kubelet.cri.v1.ListContainerStatsRequest;
import dev.konductor.kubelet.cri.v1.ListContainersRequest;
import dev.konductor.kubelet.cri.v1.ListImagesRequest;
import dev.konductor.kubelet.cri.v1.ListPodSandboxRequest;
import dev.konductor.kubelet.cri.v1.PodSandbox;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.cri.v1.PodSandboxStatus;
import dev.konductor.kubelet.cri.v1.PodSandboxStatusRequest;
import dev.konductor.kubelet.cri.v1.PortForwardRequest;
import dev.konductor.kubelet.cri.v1.PullImageRequest;
import dev.konductor.kubelet.cri.v1.RemoveContainerRequest;
import dev.konductor.kubelet.cri.v1.RemovePodSandboxRequest;
import dev.konductor.kubelet.cri.v1.RunPodSandboxRequest;
import dev.konductor.kubelet.cri.v1.RuntimeServiceGrpc;
import dev.konductor.kubelet.cri.v1.StartContainerRequest;
import dev.konductor.kubelet.cri.v1.StatusRequest;
import dev.konductor.kubelet.cri.v1.StatusResponse;
import dev.konductor.kubelet.cri.v1.StopContainerRequest;
import dev.konductor.kubelet.cri.v1.StopPodSandboxRequest;
import dev.konductor.kubelet.cri.v1.VersionRequest;
import dev.konductor.kubelet.cri.v1.VersionResponse;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link ContainerRuntime} over CRI's gRPC services (runtime.v1) on a container runtime's unix
 * socket, e.g. containerd's. Each call has a deadline, so a hung runtime surfaces as an error
 * rather than a stuck pod worker.
 */
public final class CriClient implements ContainerRuntime {

    static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private final EventLoopGroup group;
    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;

    private CriClient(EventLoopGroup group, ManagedChannel channel) {
        this.group = group;
        this.channel = channel;
        this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
        this.images = ImageServiceGrpc.newBlockingStub(channel);
    }

    /** A client of the runtime listening on {@code socket}; connects lazily. */
    public static CriClient connect(Path socket) {
        EventLoopGroup group = new EpollEventLoopGroup(1, Thread.ofPlatform().name("cri-", 0).daemon().factory());
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .overrideAuthority("localhost")
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE)
                .build();
        return new CriClient(group, channel);
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return runtime.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ImageServiceGrpc.ImageServiceBlockingStub images(Duration timeout) {
        return images.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public VersionResponse version() {
        return call("Version", () -> runtime().version(VersionRequest.newBuilder().setVersion("v1").build()));
    }

    @Override
    public StatusResponse status() {
        return call("Status", () -> runtime().status(StatusRequest.getDefaultInstance()));
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config) {
        return call("RunPodSandbox", () -> runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()))
                .getPodSandboxId();
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        call("StopPodSandbox", () -> runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        call("RemovePodSandbox", () -> runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) {
        return call("PodSandboxStatus", () -> runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                .setPodSandboxId(sandboxId).build())).getStatus();
    }

    @Override
    public List<PodSandbox> listPodSandboxes(PodSandboxFilter filter) {
        return call("ListPodSandbox", () -> runtime().listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build()))
                .getItemsList();
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return call("CreateContainer", () -> runtime().createContainer(CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId).setConfig(config).setSandboxConfig(sandboxConfig).build())).getContainerId();
    }

    @Override
    public void startContainer(String containerId) {
        call("StartContainer", () -> runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public void stopContainer(String containerId, long timeoutSeconds) {
        // The runtime waits out the grace period itself: the deadline must outlast it.
        long deadline = CALL_TIMEOUT.toMillis() + TimeUnit.SECONDS.toMillis(Math.max(0, timeoutSeconds));
        call("StopContainer", () -> runtime.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
                .stopContainer(StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(timeoutSeconds).build()));
    }

    @Override
    public void removeContainer(String containerId) {
        call("RemoveContainer", () -> runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public List<Container> listContainers(ContainerFilter filter) {
        return call("ListContainers", () -> runtime().listContainers(ListContainersRequest.newBuilder().setFilter(filter).build()))
                .getContainersList();
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        return call("ContainerStatus", () -> runtime().containerStatus(ContainerStatusRequest.newBuilder()
                .setContainerId(containerId).build())).getStatus();
    }

    @Override
    public List<ContainerStats> listContainerStats() {
        return call("ListContainerStats", () -> runtime().listContainerStats(ListContainerStatsRequest.getDefaultInstance()))
                .getStatsList();
    }

    @Override
    public String pullImage(ImageSpec image, PodSandboxConfig sandboxConfig) {
        return call("PullImage", () -> images(PULL_TIMEOUT).pullImage(PullImageRequest.newBuilder()
                .setImage(image).setSandboxConfig(sandboxConfig).build())).getImageRef();
    }

    @Override
    public Optional<Image> imageStatus(ImageSpec image) {
        ImageStatusResponse response = call("ImageStatus", () -> images(CALL_TIMEOUT).imageStatus(
                ImageStatusRequest.newBuilder().setImage(image).build()));
        return response.hasImage() && !response.getImage().getId().isEmpty() ? Optional.of(response.getImage()) : Optional.empty();
    }

    @Override
    public List<Image> listImages() {
        return call("ListImages", () -> images(CALL_TIMEOUT).listImages(ListImagesRequest.getDefaultInstance())).getImagesList();
    }

    @Override
    public List<FilesystemUsage> imageFilesystems() {
        return call("ImageFsInfo", () -> images(CALL_TIMEOUT).imageFsInfo(ImageFsInfoRequest.getDefaultInstance()))
                .getImageFilesystemsList();
    }

    /**
     * Forgets the channel's reconnect back-off, so the next call dials at once: for a runtime known
     * to have just come back (gRPC would otherwise wait up to two minutes between dials).
     */
    public void resetConnectBackoff() {
        channel.resetConnectBackoff();
    }

    @Override
    public String exec(ExecRequest request) {
        return call("Exec", () -> runtime().exec(request)).getUrl();
    }

    @Override
    public String attach(AttachRequest request) {
        return call("Attach", () -> runtime().attach(request)).getUrl();
    }

    @Override
    public String portForward(PortForwardRequest request) {
        return call("PortForward", () -> runtime().portForward(request)).getUrl();
    }

    private static <T> T call(String method, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            String description = e.getStatus().getDescription() != null ? e.getStatus().getDescription()
                    : e.getStatus().getCause() != null ? String.valueOf(e.getStatus().getCause().getMessage()) : "";
            throw new ContainerRuntime.RuntimeException(goStyle(code, description), description,
                    code == Status.Code.NOT_FOUND, new CriCallException(method, e));
        }
    }

    /** A gRPC error as Go's status package prints it, the form upstream's events and messages show. */
    static String goStyle(Status.Code code, String description) {
        return "rpc error: code = " + goCodeName(code) + " desc = " + description;
    }

    /** {@code NOT_FOUND} to {@code NotFound}, as Go's codes.Code prints. */
    static String goCodeName(Status.Code code) {
        if (code == Status.Code.OK) {
            return "OK";
        }
        if (code == Status.Code.CANCELLED) {
            return "Canceled";
        }
        StringBuilder out = new StringBuilder();
        for (String part : code.name().split("_")) {
            out.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return out.toString();
    }

    /** Which CRI method failed, kept as the cause for logs and stack traces. */
    static final class CriCallException extends Exception {
        CriCallException(String method, StatusRuntimeException cause) {
            super(method + " failed", cause);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        // The runtime ends the command at its timeout; the call's deadline leaves it time to say so.
        long deadline = TimeUnit.SECONDS.toMillis(seconds) + CALL_TIMEOUT.toMillis();
        try {
            var response = runtime.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS).execSync(ExecSyncRequest.newBuilder()
                    .setContainerId(containerId).addAllCmd(command).setTimeout(seconds).build());
            return new ExecResult(response.getExitCode(), response.getStdout().toByteArray(), response.getStderr().toByteArray());
        } catch (StatusRuntimeException e) {
            String description = String.valueOf(e.getStatus().getDescription());
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED || description.contains("timeout")) {
                throw new ExecTimeoutException("ExecSync timed out: " + description, e);
            }
            return call("ExecSync", () -> {
                throw e;
            });
        }
    }
}
