package dev.konductor.kubelet.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeOwnershipTest {

    @TempDir
    Path dir;

    private static int gid(Path p) throws Exception {
        return (int) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static int mode(Path p) throws Exception {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @Test
    void everythingGetsTheGroupAndDirectoriesHandItOnToWhatIsCreatedInThem() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: giving files a group needs root");
        Path volume = Files.createDirectories(dir.resolve("vol"));
        Files.setAttribute(volume, "unix:mode", 0777);
        Path sub = Files.createDirectories(volume.resolve("..2026_12_07"));
        Path file = Files.writeString(sub.resolve("key"), "v");
        Files.setAttribute(file, "unix:mode", 0600);
        Path link = Files.createSymbolicLink(volume.resolve("key"), Path.of("..2026_12_07/key"));

        VolumeOwnership.apply(volume, 2000, false);
        assertThat(gid(volume)).isEqualTo(2000);
        assertThat(mode(volume)).isEqualTo(02777);
        assertThat(mode(sub) & 02070).isEqualTo(02070);
        assertThat(gid(file)).isEqualTo(2000);
        assertThat(mode(file)).isEqualTo(0660);
        assertThat(gid(link)).isEqualTo(2000);
        assertThat(Files.readString(link)).isEqualTo("v");

        Path readOnly = Files.createDirectories(dir.resolve("secret"));
        Path secret = Files.writeString(readOnly.resolve("token"), "t");
        Files.setAttribute(secret, "unix:mode", 0400);
        VolumeOwnership.apply(readOnly, 2000, true);
        assertThat(mode(secret)).isEqualTo(0440);
    }
}
