package dev.konductor.kubelet.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.kubelet.containerd.ContainerdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tmpfs mounts through mount(2) and umount2(2), as the node agent makes them (root only). */
class SystemMounterTest {

    private final SystemMounter mounter = new SystemMounter();

    @Test
    void aTmpfsIsMountedWithItsSizeSeenAsAMountPointAndUnmounted(@TempDir Path dir) throws IOException {
        assumeTrue(ContainerdProcess.runningAsRoot(), "mounting needs root");
        Path target = Files.createDirectory(dir.resolve("cache"));
        mounter.mountTmpfs(target, OptionalLong.of(4L << 20));
        try {
            assertThat(mounter.isMountPoint(target)).isTrue();
            assertThat(mounter.mountPointsUnder(dir)).containsExactly(target);
            assertThat(Files.getFileStore(target).getTotalSpace()).isEqualTo(4L << 20);
        } finally {
            mounter.unmount(target);
        }
        assertThat(mounter.isMountPoint(target)).isFalse();
        assertThat(mounter.mountPointsUnder(dir)).isEmpty();
    }

    @Test
    void failuresSayWhatFailedAsUpstreamsMountErrorsDo(@TempDir Path dir) {
        assumeTrue(ContainerdProcess.runningAsRoot(), "mounting needs root");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> mounter.mountTmpfs(missing, OptionalLong.empty()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("mount failed: No such file or directory")
                .hasMessageContaining("Mounting arguments: -t tmpfs tmpfs " + missing);
        assertThatThrownBy(() -> mounter.unmount(dir))
                .hasMessageStartingWith("unmount failed: Invalid argument");
    }
}
