package dev.konductor.kubelet.process;

import dev.konductor.kubelet.cri.v1.AttachRequest;
import dev.konductor.kubelet.cri.v1.Container;
import dev.konductor.kubelet.cri.v1.ContainerAttributes;
import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.ContainerStats;
import dev.konductor.kubelet.cri.v1.ContainerStatus;
import dev.konductor.kubelet.cri.v1.CpuUsage;
import dev.konductor.kubelet.cri.v1.ExecRequest;
import dev.konductor.kubelet.cri.v1.FilesystemUsage;
import dev.konductor.kubelet.cri.v1.Image;
import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.cri.v1.LinuxPodSandboxStatus;
import dev.konductor.kubelet.cri.v1.MemoryUsage;
import dev.konductor.kubelet.cri.v1.Namespace;
import dev.konductor.kubelet.cri.v1.NamespaceMode;
import dev.konductor.kubelet.cri.v1.NamespaceOption;
import dev.konductor.kubelet.cri.v1.PodSandbox;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.cri.v1.PodSandboxNetworkStatus;
import dev.konductor.kubelet.cri.v1.PodSandboxStatus;
import dev.konductor.kubelet.cri.v1.PortForwardRequest;
import dev.konductor.kubelet.cri.v1.RuntimeCondition;
import dev.konductor.kubelet.cri.v1.RuntimeStatus;
import dev.konductor.kubelet.cri.v1.StatusResponse;
import dev.konductor.kubelet.cri.v1.UInt64Value;
import dev.konductor.kubelet.cri.v1.VersionResponse;
import dev.konductor.kubelet.process.sessions.Session;
import dev.konductor.kubelet.process.sessions.StreamServer;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.streaming.remotecommand.StreamOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code process} runtime: a {@link ContainerRuntime} that runs containers as plain host
 * processes, for machines without root or containerd. No images (busybox is the host's busybox,
 * any other image needs a command), no isolation, no network namespace: a pod lives on the
 * node's network and its IP is the node's, as with {@code hostNetwork}. Each container process
 * leads a process group of its own; its output goes to the CRI log file the kubelet reads; exec,
 * attach and port-forward go through a loopback {@link StreamServer}.
 *
 * <p>Containers live as long as this runtime: {@link #close} stops them all (SIGTERM, then
 * SIGKILL after {@link #CLOSE_GRACE}), as {@code konductor down} removes a node's pods. A kubelet
 * that died without closing leaves its processes recorded in the state directory, and the next
 * one stops them when it opens ({@link Processes#stopLeftovers}): their output pipes and exit
 * status died with the old kubelet, so they cannot be taken over; the kubelet starts the pods'
 * containers again, counting on from their logs.
 */
public final class ProcessRuntime implements ContainerRuntime {

    private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);
    public static final String RUNTIME_NAME = "process";
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);
    /** The most of each output stream execSync keeps, as CRI's message size bounds it. */
    static final int EXEC_SYNC_MAX_OUTPUT = 16 * 1024 * 1024;
    static final String NOTICE = "Containers run as host processes on the node (process runtime): no container images,"
            + " no isolation, the node's network and IP address";

    private final Path containersDir;
    private final InetAddress nodeIp;
    private final String version;
    private final Clock clock;
    private final HostImages images;
    private final HostLauncher launcher;
    private final Processes processes;
    private final Terminals terminals;
    private final StreamServer streams;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, HostSandbox> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, HostContainer> containers = new ConcurrentHashMap<>();

    private ProcessRuntime(Path stateDir, InetAddress nodeIp, String version, Clock clock, HostLauncher launcher)
            throws IOException {
        this.containersDir = Files.createDirectories(stateDir.resolve("containers"));
        this.nodeIp = nodeIp;
        this.version = version;
        this.clock = clock;
        this.images = HostImages.discover(stateDir.resolve("images").resolve("busybox"));
        this.launcher = launcher;
        ProcessTable table = ProcessTable.host();
        this.processes = new Processes(new ProcessTree(table), new ProcessJournal(stateDir.resolve("running")));
        this.terminals = new Terminals(table, Path.of("/proc"));
        this.streams = StreamServer.start(clock);
    }

    /**
     * Opens the runtime over {@code stateDir} (its containers' directories, its record of running
     * processes, busybox's applet links), stopping whatever an earlier one left running there.
     *
     * @param nodeIp  the node's address: every pod's IP
     * @param version what the node reports as the runtime's version ({@code process://VERSION})
     */
    public static ProcessRuntime open(Path stateDir, InetAddress nodeIp, String version, Clock clock) throws IOException {
        HostLauncher launcher = HostLauncher.discover().orElseThrow(() -> new IOException(
                "the process runtime needs util-linux's setsid (" + HostLauncher.SETSID.getFirst() + ")"));
        ProcessRuntime runtime = new ProcessRuntime(stateDir, nodeIp, version, clock, launcher);
        int left = runtime.processes.stopLeftovers();
        runtime.removeStaleDirectories();
        log.info("process runtime ready stateDir={} nodeIp={} busybox={} terminals={} leftoversStopped={}", stateDir,
                nodeIp.getHostAddress(), runtime.images.busybox().map(b -> b.binary().toString()).orElse("none"),
                launcher.terminals(), left);
        return runtime;
    }

    /** Why this machine cannot run the process runtime ("needs ..."), or empty when it can. */
    public static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("needs Linux (/proc, process groups)");
        }
        if (HostLauncher.discover().isEmpty()) {
            return Optional.of("needs util-linux's setsid (apt-get install util-linux)");
        }
        return Optional.empty();
    }

    @Override
    public VersionResponse version() {
        return VersionResponse.newBuilder().setVersion("0.1.0").setRuntimeName(RUNTIME_NAME).setRuntimeVersion(version)
                .setRuntimeApiVersion("v1").build();
    }

    @Override
    public StatusResponse status() {
        return StatusResponse.newBuilder().setStatus(RuntimeStatus.newBuilder()
                .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(true)
                        .setMessage("pods use the node's network"))).build();
    }

    @Override
    public Optional<String> isolationNotice() {
        return Optional.of(NOTICE);
    }

    @Override
    public Optional<String> imageSubstitute(String image) {
        return Optional.of(images.substitute(image));
    }

    // Sandboxes: bookkeeping only.

    @Override
    public String runPodSandbox(PodSandboxConfig config) {
        String id = newId();
        sandboxes.put(id, new HostSandbox(id, config, clock.instant()));
        return id;
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        HostSandbox sandbox = sandboxes.get(sandboxId);
        if (sandbox == null) {
            return;
        }
        inSandbox(sandboxId).forEach(c -> c.stop(0, processes.tree()));
        sandbox.stopped();
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        stopPodSandbox(sandboxId);
        inSandbox(sandboxId).forEach(c -> removeContainer(c.id()));
        sandboxes.remove(sandboxId);
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) {
        HostSandbox sandbox = sandbox(sandboxId);
        NamespaceOption namespaces = NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE)
                .setPid(NamespaceMode.NODE).setIpc(NamespaceMode.NODE).build();
        return PodSandboxStatus.newBuilder().setId(sandbox.id()).setMetadata(sandbox.config().getMetadata())
                .setState(sandbox.state()).setCreatedAt(HostContainer.nanos(sandbox.createdAt()))
                .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp(nodeIp.getHostAddress()))
                .setLinux(LinuxPodSandboxStatus.newBuilder().setNamespaces(Namespace.newBuilder().setOptions(namespaces)))
                .putAllLabels(sandbox.config().getLabelsMap()).putAllAnnotations(sandbox.config().getAnnotationsMap())
                .build();
    }

    @Override
    public List<PodSandbox> listPodSandboxes(PodSandboxFilter filter) {
        return sandboxes.values().stream().map(HostSandbox::summary).filter(s -> RuntimeFilters.matches(filter, s)).toList();
    }

    // Containers: host processes.

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        HostSandbox sandbox = sandbox(sandboxId);
        HostImage image = images.resolve(config.getImage().getImage());
        String id = newId();
        Path directory = containersDir.resolve(id);
        try {
            Launch launch = LaunchPlanner.plan(config, image, directory, sandbox.config().getHostname(), Files::isDirectory);
            ContainerDirectories.create(directory, LaunchPlanner.links(config.getMountsList(), directory));
            Path logPath = Path.of(sandbox.config().getLogDirectory()).resolve(config.getLogPath());
            Files.createDirectories(logPath.getParent());
            containers.put(id, new HostContainer(id, sandboxId, config, launch, directory, logPath, clock));
            return id;
        } catch (LaunchPlanner.NotRunnable e) {
            throw RuntimeErrors.failed(e.getMessage());
        } catch (IOException e) {
            ContainerDirectories.delete(directory);
            throw RuntimeErrors.failed("cannot prepare the container's directory " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void startContainer(String containerId) {
        container(containerId).start(launcher, processes);
    }

    @Override
    public void stopContainer(String containerId, long timeoutSeconds) {
        container(containerId).stop(timeoutSeconds, processes.tree());
    }

    @Override
    public void removeContainer(String containerId) {
        HostContainer container = containers.get(containerId);
        if (container == null) {
            return;
        }
        container.stop(0, processes.tree());
        containers.remove(containerId);
        ContainerDirectories.delete(container.directory());
    }

    @Override
    public List<Container> listContainers(ContainerFilter filter) {
        return containers.values().stream().map(HostContainer::summary).filter(c -> RuntimeFilters.matches(filter, c))
                .toList();
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        return container(containerId).status();
    }

    @Override
    public List<ContainerStats> listContainerStats() {
        List<ProcStat> all = processes.tree().table().all();
        long ticks = Signals.clockTicksPerSecond();
        long pageSize = Signals.pageSize();
        long now = HostContainer.nanos(clock.instant());
        List<ContainerStats> out = new ArrayList<>();
        for (HostContainer c : containers.values()) {
            Optional<Long> pid = c.pid();
            if (pid.isEmpty()) {
                continue;
            }
            TreeUsage usage = TreeUsage.of(ProcessTable.members(all, pid.get()), ticks, pageSize);
            out.add(ContainerStats.newBuilder()
                    .setAttributes(ContainerAttributes.newBuilder().setId(c.id()).setMetadata(c.config().getMetadata())
                            .putAllLabels(c.config().getLabelsMap()).putAllAnnotations(c.config().getAnnotationsMap()))
                    .setCpu(CpuUsage.newBuilder().setTimestamp(now)
                            .setUsageCoreNanoSeconds(UInt64Value.newBuilder().setValue(usage.cpuNanos())))
                    .setMemory(MemoryUsage.newBuilder().setTimestamp(now)
                            .setWorkingSetBytes(UInt64Value.newBuilder().setValue(usage.workingSetBytes())))
                    .build());
        }
        return out;
    }

    // Images: none are pulled; busybox stands for the host's.

    @Override
    public String pullImage(ImageSpec image, PodSandboxConfig sandboxConfig) {
        return images.resolve(image.getImage()).reference();
    }

    @Override
    public Optional<Image> imageStatus(ImageSpec image) {
        return images.image(image.getImage());
    }

    @Override
    public List<Image> listImages() {
        return images.image("busybox").stream().toList();
    }

    @Override
    public List<FilesystemUsage> imageFilesystems() {
        return List.of(); // no images stored: the node's own filesystem is all there is
    }

    // Streaming and execSync.

    @Override
    public String exec(ExecRequest request) {
        HostContainer container = running(request.getContainerId());
        StreamOptions options = new StreamOptions(request.getStdin(), request.getStdout(), request.getStderr(),
                request.getTty());
        return streams.prepare(new Session.RemoteCommand("exec", request.getCmdList(), options,
                new ExecTarget(container, request.getCmdList(), options, launcher, processes, terminals)));
    }

    @Override
    public String attach(AttachRequest request) {
        HostContainer container = running(request.getContainerId());
        StreamOptions options = new StreamOptions(request.getStdin(), request.getStdout(), request.getStderr(),
                request.getTty());
        return streams.prepare(new Session.RemoteCommand("attach", List.of(), options,
                new AttachTarget(container, options, terminals)));
    }

    @Override
    public String portForward(PortForwardRequest request) {
        sandbox(request.getPodSandboxId());
        return streams.prepare(new Session.PortForward(this::dial));
    }

    /** A pod's port is a port of the node: loopback first, then the node's address (a server bound to it alone). */
    private Socket dial(int port) throws IOException {
        IOException first = null;
        for (InetAddress address : List.of(InetAddress.getLoopbackAddress(), nodeIp)) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), Math.toIntExact(DIAL_TIMEOUT.toMillis()));
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException e) {
                socket.close();
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        return ExecSync.run(running(containerId), command, timeout, launcher, processes, EXEC_SYNC_MAX_OUTPUT);
    }

    @Override
    public void close() {
        streams.close();
        List<HostContainer> running = containers.values().stream().filter(c -> c.phase() == HostContainer.Phase.RUNNING)
                .toList();
        if (!running.isEmpty()) {
            log.info("stopping {} container processes", running.size());
        }
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            for (HostContainer c : running) {
                parallel.submit(() -> c.stop(CLOSE_GRACE.toSeconds(), processes.tree()));
            }
        }
        containers.values().forEach(c -> ContainerDirectories.delete(c.directory()));
        containers.clear();
        sandboxes.clear();
    }

    /** The main process of a running container (its process group's id). */
    Optional<Long> mainPid(String containerId) {
        return container(containerId).pid();
    }

    private HostSandbox sandbox(String id) {
        HostSandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            throw RuntimeErrors.notFound("sandbox", id);
        }
        return sandbox;
    }

    private HostContainer container(String id) {
        HostContainer container = containers.get(id);
        if (container == null) {
            throw RuntimeErrors.notFound("container", id);
        }
        return container;
    }

    private HostContainer running(String id) {
        HostContainer container = container(id);
        if (container.phase() != HostContainer.Phase.RUNNING) {
            throw RuntimeErrors.failed("container " + id + " is not running");
        }
        return container;
    }

    private List<HostContainer> inSandbox(String sandboxId) {
        return containers.values().stream().filter(c -> c.sandboxId().equals(sandboxId)).toList();
    }

    /** Container directories of an earlier runtime (its containers are gone with it). */
    private void removeStaleDirectories() throws IOException {
        try (var stale = Files.list(containersDir)) {
            stale.forEach(ContainerDirectories::delete);
        }
    }

    /** 64 hex digits, as containerd's ids. */
    private String newId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
