package dev.konductor.kubelet.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerdConfigTest {

    private static final ContainerdSettings SETTINGS = new ContainerdSettings(
            new ContainerdLayout(Path.of("/data/containerd")), "konductor.local/pause:3.10", "http://127.0.0.1:5000",
            List.of("docker.io", "konductor.local"), Path.of("/usr/lib/cni"), Path.of("/usr/sbin/runc"),
            new PodNetwork("konductor", "knd0", "10.244.0.0/24", List.of("10.96.0.0/12", "192.0.2.2/32")));

    @Test
    void keepsEveryStateDirectoryAndTheSocketUnderTheDataDirectory() {
        String toml = ContainerdConfig.configToml(SETTINGS);

        assertThat(toml).contains("root = \"/data/containerd/root\"", "state = \"/data/containerd/state\"",
                "address = \"/data/containerd/containerd.sock\"", "path = \"/data/containerd/opt\"",
                "conf_dir = \"/data/containerd/cni/net.d\"", "config_path = \"/data/containerd/certs.d\"",
                "netns_mounts_under_state_dir = true");
    }

    @Test
    void keepsRuncStateInsideItsOwnStateDirectory() {
        // runc's default root, /run/containerd/runc, would be shared by every cluster on the machine
        assertThat(ContainerdConfig.configToml(SETTINGS)).contains("state = \"/data/containerd/state\"",
                "Root = \"/data/containerd/state/runc\"");
    }

    @Test
    void configuresTheCriPluginForTheseMachines() {
        String toml = ContainerdConfig.configToml(SETTINGS);

        assertThat(toml).contains("sandbox_image = \"konductor.local/pause:3.10\"", "restrict_oom_score_adj = true",
                "SystemdCgroup = false", "BinaryName = \"/usr/sbin/runc\"", "bin_dir = \"/usr/lib/cni\"",
                "stream_server_address = \"127.0.0.1\"", "snapshotter = \"overlayfs\"");
    }

    @Test
    void sendsEveryRegistryToTheClusterRegistryAndNowhereElse() {
        Map<String, String> files = ContainerdConfig.files(SETTINGS);

        assertThat(files).containsKeys("certs.d/docker.io/hosts.toml", "certs.d/konductor.local/hosts.toml",
                "certs.d/_default/hosts.toml");
        String hosts = files.get("certs.d/docker.io/hosts.toml");
        assertThat(hosts).contains("server = \"http://127.0.0.1:5000\"", "[host.\"http://127.0.0.1:5000\"]",
                "capabilities = [\"pull\", \"resolve\"]");
        assertThat(files.values()).noneMatch(content -> content.contains("https://registry-1.docker.io"));
    }

    @Test
    void cniNetworkIsABridgeWithHostLocalAddressesAndNoDefaultRoute() throws Exception {
        JsonNode list = new ObjectMapper().readTree(ContainerdConfig.files(SETTINGS).get("cni/net.d/10-konductor.conflist"));
        JsonNode bridge = list.path("plugins").get(0);

        assertThat(list.path("name").asText()).isEqualTo("konductor");
        assertThat(bridge.path("type").asText()).isEqualTo("bridge");
        assertThat(bridge.path("bridge").asText()).isEqualTo("knd0");
        assertThat(bridge.path("isGateway").asBoolean()).isTrue();
        assertThat(bridge.path("ipMasq").asBoolean()).isFalse();
        JsonNode ipam = bridge.path("ipam");
        assertThat(ipam.path("type").asText()).isEqualTo("host-local");
        assertThat(ipam.path("ranges").get(0).get(0).path("subnet").asText()).isEqualTo("10.244.0.0/24");
        assertThat(ipam.path("dataDir").asText()).isEqualTo("/data/containerd/cni/ipam");
        assertThat(ipam.path("routes").findValuesAsText("dst")).containsExactly("10.96.0.0/12", "192.0.2.2/32");
        // then portmap, for hostPorts
        JsonNode portmap = list.path("plugins").get(1);
        assertThat(portmap.path("type").asText()).isEqualTo("portmap");
        assertThat(portmap.at("/capabilities/portMappings").asBoolean()).isTrue();
    }

    @Test
    void writesNoNetworkUntilThePodCidrIsKnown() {
        ContainerdSettings pending = new ContainerdSettings(SETTINGS.layout(), SETTINGS.sandboxImage(),
                SETTINGS.registryUrl(), SETTINGS.mirroredHosts(), SETTINGS.cniBinDir(), SETTINGS.runc(),
                new PodNetwork("konductor", "knd0", List.of("10.96.0.0/12")));

        assertThat(ContainerdConfig.files(pending)).doesNotContainKey("cni/net.d/10-konductor.conflist");
        assertThat(ContainerdConfig.cniConfListPath(pending.network().withPodCidr("10.244.3.0/24")))
                .isEqualTo("cni/net.d/10-konductor.conflist");
    }

    @Test
    void escapesTomlStrings() {
        assertThat(ContainerdConfig.toml("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
    }

    @Test
    void refusesBadNetworks() {
        assertThatThrownBy(() -> new PodNetwork("n", "a-bridge-name-too-long", "10.244.0.0/24", List.of()))
                .hasMessageContaining("bad bridge name");
        assertThatThrownBy(() -> new PodNetwork("n", "knd0", "fd00::/64", List.of()))
                .hasMessageContaining("IPv4 CIDR");
    }

    @Test
    void findsMountPointsUnderADirectoryDeepestFirst() {
        List<String> mountInfo = List.of(
                "36 35 98:0 / /data/containerd/state/x/rootfs rw - overlay overlay rw",
                "37 35 98:0 / /data/containerd/state/x rw - tmpfs tmpfs rw",
                "38 35 98:0 / /data/other rw - tmpfs tmpfs rw",
                "39 35 98:0 / /data/containerd/with\\040space rw - tmpfs tmpfs rw");

        assertThat(RuntimeCleanup.mountPointsUnder(Path.of("/data/containerd"), mountInfo))
                .containsExactly("/data/containerd/state/x/rootfs", "/data/containerd/with space", "/data/containerd/state/x");
    }
}
