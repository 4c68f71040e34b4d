package dev.konductor.kubelet.pods;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod-level cgroups runc creates under {@code /kubepods} (cgroupfs driver) outlive the pod's
 * containers; the kubelet removes them with the pod, in every hierarchy (cgroup v1 has one per
 * controller, v2 one in all).
 */
public final class PodCgroups {

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private PodCgroups() {
    }

    public static void remove(String podUid) {
        for (String parent : List.of("kubepods/pod", "kubepods/burstable/pod", "kubepods/besteffort/pod")) {
            for (Path hierarchy : hierarchies()) {
                Path dir = hierarchy.resolve(parent + podUid);
                try {
                    Files.deleteIfExists(dir); // rmdir: the control files inside do not count
                } catch (IOException e) {
                    // still busy (a process lingers) or not ours to remove: the next housekeeping tries again
                }
            }
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
