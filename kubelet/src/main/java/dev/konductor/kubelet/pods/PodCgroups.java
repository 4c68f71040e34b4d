package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.resources.PodCgroupLimits;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod-level cgroups under {@code /kubepods} (cgroupfs driver). Before its sandbox starts, a
 * pod's cgroup is made with the pod's limits ({@link PodCgroupLimits}: cpu shares, CFS quota,
 * memory limit), so its containers together stay within them, as upstream's pod container
 * manager does; on cgroup v1 only (v2 would need the controllers delegated down the tree
 * first), which is what these machines run. The cgroups outlive the pod's containers; the
 * kubelet removes them with the pod, in every hierarchy (cgroup v1 has one per controller, v2
 * one in all).
 */
public final class PodCgroups {

    private static final Logger log = LoggerFactory.getLogger(PodCgroups.class);
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final int REMOVE_ATTEMPTS = 10;
    private static final java.time.Duration REMOVE_RETRY = java.time.Duration.ofMillis(200);

    private PodCgroups() {
    }

    /** Creates the pod's cgroup with its limits (cgroup v1); best effort: a failure is logged, the pod still runs. */
    public static void apply(Pod pod) {
        Path cpu = CGROUP_ROOT.resolve("cpu");
        Path memory = CGROUP_ROOT.resolve("memory");
        if (!Files.isDirectory(cpu) || !Files.isDirectory(memory) || !Files.isWritable(cpu)) {
            return; // no cgroup v1 here, or a kubelet without root: no pod-level limits
        }
        String parent = SandboxConfigs.cgroupParent(pod).substring(1);
        PodCgroupLimits limits = PodCgroupLimits.of(pod);
        try {
            Path cpuDir = Files.createDirectories(cpu.resolve(parent));
            Files.writeString(cpuDir.resolve("cpu.shares"), Long.toString(limits.cpuShares()));
            if (limits.cpuQuotaMicros().isPresent()) {
                Files.writeString(cpuDir.resolve("cpu.cfs_period_us"), "100000");
                Files.writeString(cpuDir.resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuQuotaMicros().get()));
            }
            Path memoryDir = Files.createDirectories(memory.resolve(parent));
            if (limits.memoryLimitBytes().isPresent()) {
                Files.writeString(memoryDir.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryLimitBytes().get()));
            }
        } catch (IOException e) {
            log.warn("cannot set the limits of pod cgroup {}: {}", parent, e.toString());
        }
    }

    /**
     * Removes the pod's cgroups and whatever child cgroups runc left in them (a container whose
     * start failed leaves its own); a cgroup whose last process is still being reaped is busy
     * for a moment, so this tries a few times over about two seconds.
     */
    public static void remove(String podUid) {
        for (int attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
            boolean left = false;
            for (String parent : List.of("kubepods/pod", "kubepods/burstable/pod", "kubepods/besteffort/pod")) {
                for (Path hierarchy : hierarchies()) {
                    left |= !removeTree(hierarchy.resolve(parent + podUid));
                }
            }
            if (!left) {
                return;
            }
            try {
                Thread.sleep(REMOVE_RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("pod cgroups still busy, left in place pod={}", podUid);
    }

    /** rmdir of a cgroup and its child cgroups, deepest first (their control files do not count); true when gone. */
    private static boolean removeTree(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : children) {
                removeTree(child);
            }
        } catch (IOException e) {
            return false;
        }
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false; // a process still in it, or not ours to remove
        }
    }

    private static List<Path> hierarchies() {
        List<Path> out = new ArrayList<>();
        out.add(CGROUP_ROOT);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(CGROUP_ROOT)) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir) && !Files.isSymbolicLink(dir)) {
                    out.add(dir);
                }
            }
        } catch (IOException e) {
            // no cgroup filesystem here: nothing to clean
        }
        return out;
    }
}
