package dev.konductor.kubelet.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.KeyValue;
import dev.konductor.kubelet.cri.v1.Mount;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LaunchPlannerTest {

    private static final Path DIR = Path.of("/data/process/containers/c1");
    private static final Path LINKS = Path.of("/data/process/images/busybox");
    private static final HostImage BUSYBOX = new HostImage.Busybox("docker.io/library/busybox:latest", Path.of("/bin/busybox"),
            LINKS, Set.of("/bin/sh", "/usr/bin/wget", "/bin/sleep"));
    private static final HostImage NGINX = new HostImage.CommandOnly("docker.io/library/nginx:latest", Optional.empty());

    private static ContainerConfig.Builder config() {
        return ContainerConfig.newBuilder();
    }

    private static Launch plan(ContainerConfig config, HostImage image) throws LaunchPlanner.NotRunnable {
        return LaunchPlanner.plan(config, image, DIR, "web", p -> p.equals(Path.of("/tmp")));
    }

    @Test
    void argvFollowsDockersRulesWithTheImagesDefaultCommand() throws Exception {
        assertThat(plan(config().build(), BUSYBOX).argv()).as("busybox's Cmd").containsExactly("sh");
        assertThat(plan(config().addArgs("httpd").addArgs("-f").build(), BUSYBOX).argv()).containsExactly("httpd", "-f");
        assertThat(plan(config().addCommand("sh").addCommand("-c").addArgs("echo hi").build(), BUSYBOX).argv())
                .containsExactly("sh", "-c", "echo hi");
        assertThat(plan(config().addCommand("nginx").addArgs("-g").addArgs("daemon off;").build(), NGINX).argv())
                .containsExactly("nginx", "-g", "daemon off;");
    }

    @Test
    void anImageItCannotStandInForNeedsACommandAndSaysSo() {
        assertThatThrownBy(() -> plan(config().build(), NGINX))
                .isInstanceOf(LaunchPlanner.NotRunnable.class)
                .hasMessage("the process runtime runs commands on this node, not images: image \"docker.io/library/nginx:latest\""
                        + " is not one it can stand in for (busybox is), and the container has no command; give it one"
                        + " (command: [...])");
        HostImage noBusybox = new HostImage.CommandOnly("docker.io/library/busybox:latest",
                Optional.of("this machine has no busybox binary"));
        assertThatThrownBy(() -> plan(config().build(), noBusybox)).hasMessageContaining("needs the host's busybox, but"
                + " this machine has no busybox binary");
    }

    @Test
    void theEnvironmentIsTheContainersOwnOverTheRuntimesDefaults() throws Exception {
        Launch launch = plan(config().addEnvs(env("GREETING", "hi")).addEnvs(env("HOME", "/root")).setTty(true).build(), BUSYBOX);

        assertThat(launch.env()).containsExactly(
                java.util.Map.entry("PATH", LINKS + ":" + HostImage.DEFAULT_PATH),
                java.util.Map.entry("HOSTNAME", "web"),
                java.util.Map.entry("HOME", "/root"),
                java.util.Map.entry("TERM", "xterm"),
                java.util.Map.entry("GREETING", "hi"));
        assertThat(plan(config().addCommand("nginx").build(), NGINX).path()).isEqualTo(HostImage.DEFAULT_PATH);
    }

    @Test
    void volumesAreLinkedIntoTheContainersDirectoryAtTheirMountPaths() {
        List<Mount> mounts = List.of(
                mount("/etc/config/extra", "/vol/extra"), // inside the next one: left out
                mount("/etc/config", "/vol/config"),
                mount("/dev/termination-log", "/kubelet/pods/u/containers/web/0"),
                mount("/", "/vol/root"));

        assertThat(LaunchPlanner.links(mounts, DIR)).containsExactly(
                new LaunchPlanner.Link(Path.of("etc/config"), Path.of("/vol/config")),
                new LaunchPlanner.Link(Path.of("dev/termination-log"), Path.of("/kubelet/pods/u/containers/web/0")));
    }

    @Test
    void theWorkingDirectoryIsAVolumeTheHostsOrOneOfTheContainersOwn() {
        List<Mount> mounts = List.of(mount("/data", "/vol/data"));

        assertThat(LaunchPlanner.workingDir("", mounts, DIR, p -> true)).isEqualTo(DIR);
        assertThat(LaunchPlanner.workingDir("/data/site", mounts, DIR, p -> false)).isEqualTo(Path.of("/vol/data/site"));
        assertThat(LaunchPlanner.workingDir("/tmp", mounts, DIR, p -> p.equals(Path.of("/tmp")))).isEqualTo(Path.of("/tmp"));
        assertThat(LaunchPlanner.workingDir("/app", mounts, DIR, p -> false)).isEqualTo(DIR.resolve("app"));
    }

    private static KeyValue env(String name, String value) {
        return KeyValue.newBuilder().setKey(name).setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static Mount mount(String containerPath, String hostPath) {
        return Mount.newBuilder().setContainerPath(containerPath).setHostPath(hostPath).build();
    }
}
