package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.ContainerConfig;
import dev.konductor.kubelet.cri.v1.Mount;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import dev.konductor.api.dns.PodDns;
import dev.konductor.api.dns.ResolvConf;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxConfigsTest {

    private static final Pod POD = new PodBuilder()
            .withNewMetadata().withName("web").withNamespace("default").withUid("u-1").addToLabels("app", "web").endMetadata()
            .withNewSpec().addNewContainer().withName("web").withImage("busybox").withCommand("sh", "-c", "echo hi")
            .addNewEnv().withName("A").withValue("1").endEnv().endContainer().endSpec()
            .withNewStatus().withQosClass("Burstable").endStatus()
            .build();

    @Test
    void sandboxCarriesUpstreamLabelsLogDirectoryAndCgroup() {
        PodSandboxConfig config = SandboxConfigs.sandbox(POD, 2, Path.of("/logs"));

        assertThat(config.getMetadata().getAttempt()).isEqualTo(2);
        assertThat(config.getHostname()).isEqualTo("web");
        assertThat(config.getLogDirectory()).isEqualTo("/logs/default_web_u-1");
        assertThat(config.getLabelsMap()).containsEntry("io.kubernetes.pod.uid", "u-1").containsEntry("app", "web");
        assertThat(config.getLinux().getCgroupParent()).isEqualTo("/kubepods/burstable/podu-1");
    }

    @Test
    void sandboxCarriesThePodsResolverSettingsForTheRuntimesResolvConf() {
        PodDns.Result dns = PodDns.forPod(POD, new PodDns.Node(List.of("10.96.0.10"), "cluster.local",
                Optional.of(ResolvConf.parse("nameserver 192.0.2.53\nsearch example.test\n")), List.of("192.0.2.2")));

        PodSandboxConfig config = SandboxConfigs.sandbox(POD, 0, Path.of("/logs"), Optional.of(dns.resolvConf()));

        assertThat(config.getDnsConfig().getServersList()).containsExactly("10.96.0.10");
        assertThat(config.getDnsConfig().getSearchesList())
                .containsExactly("default.svc.cluster.local", "svc.cluster.local", "cluster.local", "example.test");
        assertThat(config.getDnsConfig().getOptionsList()).containsExactly("ndots:5");
        assertThat(SandboxConfigs.sandbox(POD, 0, Path.of("/logs")).hasDnsConfig()).isFalse();
    }

    @Test
    void containerLogsGoToNameSlashRestartCount() {
        ContainerConfig config = SandboxConfigs.container(POD, POD.getSpec().getContainers().getFirst(), 3,
                RunContainerOptions.NONE, Optional.empty());

        assertThat(config.getLogPath()).isEqualTo("web/3.log");
        assertThat(config.getMetadata().getAttempt()).isEqualTo(3);
        assertThat(config.getAnnotationsMap()).containsEntry("io.kubernetes.container.restartCount", "3")
                .containsEntry("io.kubernetes.pod.terminationGracePeriod", "30");
        assertThat(config.getCommandList()).containsExactly("sh", "-c", "echo hi");
    }

    @Test
    void carriesTheResolvedEnvironmentAndMountsAndExpandsCommandAndArgs() {
        Container container = new ContainerBuilder().withName("c").withImage("busybox")
                .withCommand("echo", "$(GREETING)", "$$(GREETING)").withArgs("$(MISSING)", "to $(NAME)").build();
        java.util.LinkedHashMap<String, String> env = new java.util.LinkedHashMap<>();
        env.put("GREETING", "hello");
        env.put("NAME", "world");
        Mount mount = Mount.newBuilder().setContainerPath("/data").setHostPath("/var/lib/x").build();

        ContainerConfig config = SandboxConfigs.container(POD, container, 0, new RunContainerOptions(env, List.of(mount)),
                Optional.empty());

        assertThat(config.getCommandList()).containsExactly("echo", "hello", "$(GREETING)");
        assertThat(config.getArgsList()).containsExactly("$(MISSING)", "to world");
        assertThat(config.getEnvsList()).extracting(kv -> kv.getKey() + "=" + kv.getValue().toStringUtf8())
                .containsExactly("GREETING=hello", "NAME=world");
        assertThat(config.getMountsList()).containsExactly(mount);
    }

    @Test
    void longHostnamesAreCutWithoutATrailingDash() {
        Pod pod = new PodBuilder(POD).editMetadata().withName("a".repeat(62) + "-b").endMetadata().build();

        assertThat(SandboxConfigs.hostname(pod)).isEqualTo("a".repeat(62));
    }

    @Test
    void specChangesChangeTheHash() {
        Container container = POD.getSpec().getContainers().getFirst();
        Container changed = new ContainerBuilder(container).withImage("busybox:1.35").build();

        assertThat(SandboxConfigs.hash(container)).isEqualTo(SandboxConfigs.hash(new ContainerBuilder(container).build()));
        assertThat(SandboxConfigs.hash(changed)).isNotEqualTo(SandboxConfigs.hash(container));
    }

    @Test
    void defaultsPullPolicyAsTheApiServerDoes() {
        assertThat(ImagePuller.pullPolicy(new ContainerBuilder().withImage("busybox").build())).isEqualTo("Always");
        assertThat(ImagePuller.pullPolicy(new ContainerBuilder().withImage("busybox:latest").build())).isEqualTo("Always");
        assertThat(ImagePuller.pullPolicy(new ContainerBuilder().withImage("localhost:5000/busybox").build())).isEqualTo("Always");
        assertThat(ImagePuller.pullPolicy(new ContainerBuilder().withImage("busybox:1.35").build())).isEqualTo("IfNotPresent");
        assertThat(ImagePuller.pullPolicy(new ContainerBuilder().withImage("busybox@sha256:abc").build())).isEqualTo("IfNotPresent");
        assertThat(ImagePuller.pullPolicy(new ContainerBuilder().withImage("busybox").withImagePullPolicy("Never").build()))
                .isEqualTo("Never");
    }

    @Test
    void restartCountGoesOnFromTheLogFilesWhenTheRuntimeForgotTheContainers(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        assertThat(PodSyncer.restartCountFromLogs(dir.resolve("missing"))).isZero();
        java.nio.file.Files.writeString(dir.resolve("0.log"), "");
        java.nio.file.Files.writeString(dir.resolve("2.log"), "");
        java.nio.file.Files.writeString(dir.resolve("notes.txt"), "");
        assertThat(PodSyncer.restartCountFromLogs(dir)).isEqualTo(3);
    }

    @Test
    void restartPolicies() {
        assertThat(PodActionsPlanner.shouldRestart("Always", 0)).isTrue();
        assertThat(PodActionsPlanner.shouldRestart("OnFailure", 0)).isFalse();
        assertThat(PodActionsPlanner.shouldRestart("OnFailure", 2)).isTrue();
        assertThat(PodActionsPlanner.shouldRestart("Never", 2)).isFalse();
    }

    @Test
    void anEphemeralContainerJoinsItsTargetsProcessNamespace() {
        var options = RunContainerOptions.NONE;
        var own = SandboxConfigs.container(POD, POD.getSpec().getContainers().getFirst(), 0, options, Optional.empty());
        var joined = SandboxConfigs.container(POD, POD.getSpec().getContainers().getFirst(), 0, options,
                Optional.of("c-target"));
        assertThat(own.getLinux().getSecurityContext().getNamespaceOptions().getPid())
                .isEqualTo(dev.konductor.kubelet.cri.v1.NamespaceMode.CONTAINER);
        var namespaces = joined.getLinux().getSecurityContext().getNamespaceOptions();
        assertThat(namespaces.getPid()).isEqualTo(dev.konductor.kubelet.cri.v1.NamespaceMode.TARGET);
        assertThat(namespaces.getTargetId()).isEqualTo("c-target");
        assertThat(namespaces.getNetwork()).isEqualTo(dev.konductor.kubelet.cri.v1.NamespaceMode.POD);
    }

    @Test
    void aPodOnTheNodesNamespacesAsksForThem() {
        Pod host = new PodBuilder(POD).editSpec().withHostNetwork(true).withHostPID(true).withHostIPC(true).endSpec().build();
        var namespaces = SandboxConfigs.namespaces(host);
        assertThat(namespaces.getNetwork()).isEqualTo(dev.konductor.kubelet.cri.v1.NamespaceMode.NODE);
        assertThat(namespaces.getPid()).isEqualTo(dev.konductor.kubelet.cri.v1.NamespaceMode.NODE);
        assertThat(namespaces.getIpc()).isEqualTo(dev.konductor.kubelet.cri.v1.NamespaceMode.NODE);
        assertThat(SandboxConfigs.sandbox(host, 0, java.nio.file.Path.of("/logs"), java.util.Optional.empty())
                .getHostname()).isEmpty();
        var own = SandboxConfigs.namespaces(POD);
        assertThat(own.getNetwork()).isEqualTo(dev.konductor.kubelet.cri.v1.NamespaceMode.POD);
        assertThat(own.getIpc()).isEqualTo(dev.konductor.kubelet.cri.v1.NamespaceMode.POD);
    }

    @Test
    void hostPortsBecomeTheSandboxsPortMappings() {
        Pod pod = new PodBuilder(POD).editSpec().editFirstContainer()
                .addNewPort().withContainerPort(8080).withHostPort(38080).endPort()
                .addNewPort().withContainerPort(53).withHostPort(5353).withProtocol("UDP").withHostIP("192.0.2.2").endPort()
                .addNewPort().withContainerPort(9090).endPort()
                .endContainer().endSpec().build();
        var mappings = SandboxConfigs.sandbox(pod, 0, java.nio.file.Path.of("/logs"), java.util.Optional.empty())
                .getPortMappingsList();
        assertThat(mappings).hasSize(2);
        assertThat(mappings.get(0).getHostPort()).isEqualTo(38080);
        assertThat(mappings.get(0).getContainerPort()).isEqualTo(8080);
        assertThat(mappings.get(0).getProtocol()).isEqualTo(dev.konductor.kubelet.cri.v1.Protocol.TCP);
        assertThat(mappings.get(1).getProtocol()).isEqualTo(dev.konductor.kubelet.cri.v1.Protocol.UDP);
        assertThat(mappings.get(1).getHostIp()).isEqualTo("192.0.2.2");
        Pod onHost = new PodBuilder(pod).editSpec().withHostNetwork(true).endSpec().build();
        assertThat(SandboxConfigs.portMappings(onHost)).isEmpty();
    }
}
