package dev.konductor.kubelet.containerd;

import dev.konductor.kubelet.cri.v1.PodSandbox;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.pods.PodCgroups;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.volumes.SystemMounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves nothing of a supervised containerd behind: its pods (while it runs), then (once it has
 * stopped) any shim still serving its socket, any mount under its directory and the pod bridge.
 * Only what belongs to this containerd is touched: shims are matched by its socket path, mounts
 * by its directory.
 */
public final class RuntimeCleanup {

    private static final Logger log = LoggerFactory.getLogger(RuntimeCleanup.class);

    private RuntimeCleanup() {
    }

    /** Stops and removes every pod sandbox (and so every container); returns how many. */
    public static int removeAllPods(ContainerRuntime runtime) {
        List<PodSandbox> sandboxes = runtime.listPodSandboxes(PodSandboxFilter.getDefaultInstance());
        // side by side: one after another, 30 pods took longer than a server's stop may (runc and the
        // CNI plugins wait on each other little; the time goes to process starts and teardown)
        try (ExecutorService removals = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PodSandbox sandbox : sandboxes) {
                removals.submit(() -> remove(runtime, sandbox));
            }
        }
        return sandboxes.size();
    }

    private static void remove(ContainerRuntime runtime, PodSandbox sandbox) {
        try {
            runtime.stopPodSandbox(sandbox.getId());
            runtime.removePodSandbox(sandbox.getId());
            PodCgroups.remove(sandbox.getMetadata().getUid());
        } catch (ContainerRuntime.RuntimeException e) {
            log.warn("cannot remove sandbox id={} pod={}/{}: {}", sandbox.getId(),
                    sandbox.getMetadata().getNamespace(), sandbox.getMetadata().getName(), e.getMessage());
        }
    }

    /** After containerd has exited: kills its shims, unmounts what is left, deletes the bridge. */
    public static void afterStop(ContainerdLayout layout, String bridge) {
        killShims(layout.socket());
        unmountUnder(layout.dir());
        run("ip", "link", "delete", bridge);
    }

    static void killShims(Path socket) {
        for (ProcessHandle shim : shims(socket)) {
            log.warn("killing shim pid={} left by containerd socket={}", shim.pid(), socket);
            shim.destroyForcibly();
        }
    }

    /** The shims still serving the containerd of {@code socket} (matched by their command line). */
    static List<ProcessHandle> shims(Path socket) {
        String marker = "-address " + socket;
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> ContainerdProcess.commandLine(p.pid()).contains(marker)).toList();
        }
    }

    static void unmountUnder(Path dir) {
        List<String> mountPoints = mountPointsUnder(dir, readMountInfo());
        for (String mountPoint : mountPoints) {
            log.info("unmounting {}", mountPoint);
            run("umount", "-l", mountPoint);
        }
    }

    /** Mount points at or below {@code dir}, deepest first (mountinfo's fifth field, octal escapes decoded). */
    static List<String> mountPointsUnder(Path dir, List<String> mountInfo) {
        return SystemMounter.mountPointsUnder(dir, mountInfo).stream().map(Path::toString).toList();
    }

    private static List<String> readMountInfo() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            log.warn("cannot run {}: {}", String.join(" ", command), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
