package dev.konductor.kubelet.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathTypesTest {

    @TempDir
    Path dir;

    @Test
    void directoryOrCreateMakesTheDirectory() throws Exception {
        Path made = dir.resolve("a/b");
        HostPathTypes.check(made, "DirectoryOrCreate");

        assertThat(made).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).startsWith("rwx");
        assertThatThrownBy(() -> HostPathTypes.check(Files.writeString(dir.resolve("f"), "x"), "DirectoryOrCreate"))
                .hasMessage("hostPath type check failed: " + dir.resolve("f") + " is not a directory");
    }

    @Test
    void fileOrCreateMakesAnEmptyFileButNotItsParent() throws Exception {
        HostPathTypes.check(dir.resolve("log"), "FileOrCreate");

        assertThat(dir.resolve("log")).isEmptyFile();
        assertThatThrownBy(() -> HostPathTypes.check(dir.resolve("missing/log"), "FileOrCreate"))
                .hasMessage("open " + dir.resolve("missing/log") + ": no such file or directory");
        assertThatThrownBy(() -> HostPathTypes.check(dir, "FileOrCreate"))
                .hasMessage("hostPath type check failed: " + dir + " is not a file");
    }

    @Test
    void checkedTypesSayWhatIsWrong() throws Exception {
        Path missing = dir.resolve("nothing");
        assertThatThrownBy(() -> HostPathTypes.check(missing, "Directory"))
                .hasMessage("hostPath type check failed: " + missing + " does not exist");
        assertThatThrownBy(() -> HostPathTypes.check(missing, "File"))
                .hasMessage("hostPath type check failed: " + missing + " does not exist");
        assertThatThrownBy(() -> HostPathTypes.check(missing, "Socket"))
                .hasMessage("hostPath type check failed: " + missing + " is not a socket file");
        assertThatThrownBy(() -> HostPathTypes.check(Path.of("/dev/null"), "BlockDevice"))
                .hasMessage("hostPath type check failed: /dev/null is not a block device");
        assertThatThrownBy(() -> HostPathTypes.check(dir, "CharDevice"))
                .hasMessage("hostPath type check failed: " + dir + " is not a character device");
        assertThatThrownBy(() -> HostPathTypes.check(dir, "Weird")).hasMessage("Weird is an invalid volume type");
    }

    @Test
    void presentThingsOfTheRightTypePass() throws IOException {
        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThatCode(() -> HostPathTypes.check(socket, "Socket")).doesNotThrowAnyException();
        }
        assertThatCode(() -> HostPathTypes.check(Path.of("/dev/null"), "CharDevice")).doesNotThrowAnyException();
        assertThatCode(() -> HostPathTypes.check(dir, "Directory")).doesNotThrowAnyException();
        assertThatCode(() -> HostPathTypes.check(dir.resolve("anything"), "")).doesNotThrowAnyException();
    }
}
