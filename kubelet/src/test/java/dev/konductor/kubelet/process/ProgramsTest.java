package dev.konductor.kubelet.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ProgramsTest {

    private static final Path LINKS = Path.of("/state/images/busybox");
    private static final HostImage BUSYBOX = new HostImage.Busybox("docker.io/library/busybox:latest",
            Path.of("/bin/busybox"), LINKS, Set.of("/bin/sh", "/usr/sbin/httpd"));
    private static final HostImage OTHER = new HostImage.CommandOnly("docker.io/library/python:3", Optional.empty());
    private static final Set<Path> ON_HOST = Set.of(LINKS.resolve("sh"), LINKS.resolve("httpd"), Path.of("/bin/sh"),
            Path.of("/usr/bin/python3"), Path.of("/work/run.sh"));
    private static final Predicate<Path> EXECUTABLE = ON_HOST::contains;
    private static final Predicate<Path> EXISTS = p -> ON_HOST.contains(p) || p.equals(Path.of("/etc/passwd"));

    private static Path lookup(String name, HostImage image) throws Programs.NotFound {
        return Programs.lookup(name, image.path(), Path.of("/work"), image, EXECUTABLE, EXISTS);
    }

    @Test
    void busyboxsAppletsAreFoundByNameAndByTheirPathInTheImage() throws Exception {
        assertThat(lookup("httpd", BUSYBOX)).isEqualTo(LINKS.resolve("httpd"));
        assertThat(lookup("/bin/sh", BUSYBOX)).as("the image's /bin/sh is busybox, not the host's").isEqualTo(LINKS.resolve("sh"));
        assertThat(lookup("/bin/sh", OTHER)).isEqualTo(Path.of("/bin/sh"));
        assertThat(lookup("python3", OTHER)).isEqualTo(Path.of("/usr/bin/python3"));
        assertThat(lookup("./run.sh", OTHER)).isEqualTo(Path.of("/work/run.sh"));
    }

    @Test
    void aProgramThatIsNotThereFailsInRuncsWords() {
        assertThatThrownBy(() -> lookup("nosuch", BUSYBOX))
                .hasMessage("exec: \"nosuch\": executable file not found in $PATH");
        assertThatThrownBy(() -> lookup("/no/such/binary", BUSYBOX))
                .hasMessage("exec: \"/no/such/binary\": stat /no/such/binary: no such file or directory");
        assertThatThrownBy(() -> lookup("/etc/passwd", OTHER)).hasMessage("exec: \"/etc/passwd\": permission denied");
    }
}
