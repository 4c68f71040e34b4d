package dev.konductor.kubelet.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.ContainerMetadata;
import dev.konductor.kubelet.cri.v1.ContainerState;
import dev.konductor.kubelet.cri.v1.ContainerStatus;
import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.cri.v1.Mount;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.cri.v1.PodSandboxMetadata;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.RuntimeLabels;
import dev.konductor.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime through its CRI surface, as the kubelet drives it, with real host
 * processes: exit codes and logs, stops that reach a container's children, execSync, stats,
 * and a runtime that died without stopping its containers.
 */
class ProcessRuntimeTest {

    @TempDir
    Path dir;
    private ProcessRuntime runtime;
    private String sandbox;

    @BeforeEach
    void open() throws IOException {
        assumeTrue(ProcessRuntime.unavailable().isEmpty(), () -> "skipped: the process runtime " + ProcessRuntime.unavailable().get());
        runtime = ProcessRuntime.open(dir.resolve("state"), InetAddress.getLoopbackAddress(), "test", Clock.systemUTC());
        sandbox = runtime.runPodSandbox(PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("p").setNamespace("default").setUid("uid-1"))
                .setHostname("p").setLogDirectory(dir.resolve("logs").toString())
                .putLabels(RuntimeLabels.POD_UID, "uid-1").build());
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private String run(String name, String script, Mount... mounts) {
        ContainerConfig config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage("busybox"))
                .addCommand("sh").addCommand("-c").addCommand(script)
                .setLogPath(name + "/0.log")
                .putLabels(RuntimeLabels.POD_UID, "uid-1").putLabels(RuntimeLabels.CONTAINER_NAME, name)
                .addAllMounts(List.of(mounts))
                .build();
        String id = runtime.createContainer(sandbox, config, PodSandboxConfig.getDefaultInstance());
        runtime.startContainer(id);
        return id;
    }

    private ContainerStatus awaitExited(String id) {
        Await.until(Duration.ofSeconds(60), "container exited", () ->
                runtime.containerStatus(id).getState() == ContainerState.CONTAINER_EXITED);
        return runtime.containerStatus(id);
    }

    @Test
    void aContainerExitsWithItsCodeAndItsOutputIsInTheCriLog() throws IOException {
        String id = run("app", "echo out; echo err >&2; exit 7");

        ContainerStatus status = awaitExited(id);

        assertThat(status.getExitCode()).isEqualTo(7);
        assertThat(status.getReason()).isEqualTo("Error");
        assertThat(status.getFinishedAt()).isGreaterThanOrEqualTo(status.getStartedAt());
        List<String> log = Files.readAllLines(Path.of(status.getLogPath()));
        assertThat(log).hasSize(2).anyMatch(l -> l.matches("\\S+Z stdout F out")).anyMatch(l -> l.matches("\\S+Z stderr F err"));
        assertThat(status.getImage().getImage()).isEqualTo("docker.io/library/busybox:latest");
    }

    @Test
    void stoppingReachesChildrenThatIgnoreSigtermWithinTheGracePeriod() {
        String id = run("stubborn", "trap '' TERM; sh -c \"trap '' TERM; sleep 1000\" & sleep 1000");
        Await.until(Duration.ofSeconds(60), "the child is there",
                () -> children(id).size() >= 2);
        List<Long> processes = children(id);

        long started = System.nanoTime();
        runtime.stopContainer(id, 1);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(runtime.containerStatus(id).getExitCode()).as("SIGKILL after the grace period").isEqualTo(137);
        Await.until(Duration.ofSeconds(60), "every process of the container gone",
                () -> processes.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                        && ProcessTable.host().stat(pid).map(s -> !s.zombie()).orElse(false)));
    }

    @Test
    void aProgramThatDoesNotExistIsAStartErrorAsContainerdReportsIt() {
        ContainerConfig config = ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("typo"))
                .setImage(ImageSpec.newBuilder().setImage("busybox")).addCommand("/no/such/binary")
                .setLogPath("typo/0.log").build();
        String id = runtime.createContainer(sandbox, config, PodSandboxConfig.getDefaultInstance());

        assertThatThrownBy(() -> runtime.startContainer(id)).isInstanceOf(ContainerRuntime.RuntimeException.class)
                .hasMessageContaining("\"/no/such/binary\": stat /no/such/binary: no such file or directory");
        ContainerStatus status = runtime.containerStatus(id);
        assertThat(status.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        assertThat(status.getExitCode()).isEqualTo(128);
        assertThat(status.getReason()).isEqualTo("StartError");
    }

    @Test
    void anImageItCannotStandInForWithoutACommandCannotBeCreated() {
        ContainerConfig config = ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("web"))
                .setImage(ImageSpec.newBuilder().setImage("nginx:1.27")).setLogPath("web/0.log").build();

        assertThatThrownBy(() -> runtime.createContainer(sandbox, config, PodSandboxConfig.getDefaultInstance()))
                .hasMessageStartingWith("the process runtime runs commands on this node, not images: image"
                        + " \"docker.io/library/nginx:1.27\"");
    }

    @Test
    void volumesShowInTheContainersDirectoryAndExecSyncRunsThere() throws IOException {
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.writeString(volume.resolve("key"), "value");
        String id = run("app", "sleep 1000", Mount.newBuilder().setContainerPath("/etc/config")
                .setHostPath(volume.toString()).build());

        ContainerRuntime.ExecResult result = runtime.execSync(id, List.of("sh", "-c", "cat etc/config/key; exit 4"),
                Duration.ofSeconds(10));

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(new String(result.stdout())).isEqualTo("value");
        assertThatThrownBy(() -> runtime.execSync(id, List.of("sleep", "30"), Duration.ofMillis(500)))
                .isInstanceOf(ContainerRuntime.ExecTimeoutException.class);
    }

    @Test
    void statsCountTheCpuOfTheWholeProcessTree() {
        String id = run("burn", "sh -c 'while :; do :; done' & sleep 1000");

        Await.until(Duration.ofSeconds(60), "CPU time counted", () -> runtime.listContainerStats().stream()
                .anyMatch(s -> s.getAttributes().getId().equals(id)
                        && s.getCpu().getUsageCoreNanoSeconds().getValue() >= 200_000_000L
                        && s.getMemory().getWorkingSetBytes().getValue() > 0));
    }

    @Test
    void aRuntimeThatDiedWithoutStoppingItsContainersHasThemStoppedByTheNext() throws IOException {
        String id = run("orphan", "sleep 1000");
        long pid = children(id).getFirst();

        // A second runtime over the same state, as a kubelet started after a crash: the first is never closed.
        ProcessRuntime next = ProcessRuntime.open(dir.resolve("state"), InetAddress.getLoopbackAddress(), "test",
                Clock.systemUTC());
        try {
            Await.until(Duration.ofSeconds(60), "the old container process stopped",
                    () -> ProcessTable.host().stat(pid).map(ProcStat::zombie).orElse(true));
            assertThat(next.listContainers(ContainerFilter.getDefaultInstance())).isEmpty();
            assertThat(next.listPodSandboxes(PodSandboxFilter.getDefaultInstance())).isEmpty();
        } finally {
            next.close();
        }
    }

    /** The live processes of a container, its main one first. */
    private List<Long> children(String id) {
        return runtime.mainPid(id).map(main -> ProcessTable.members(ProcessTable.host().all(), main).stream()
                .filter(p -> !p.zombie()).map(ProcStat::pid)
                .sorted((a, b) -> a.equals(main) ? -1 : b.equals(main) ? 1 : 0).toList()).orElse(List.of());
    }
}
