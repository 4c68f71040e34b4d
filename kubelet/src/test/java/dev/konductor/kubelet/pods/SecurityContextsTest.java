package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.Image;
import dev.konductor.kubelet.cri.v1.Int64Value;
import dev.konductor.kubelet.cri.v1.NamespaceOption;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecurityContextsTest {

    private static final NamespaceOption NAMESPACES = NamespaceOption.getDefaultInstance();

    private static Pod pod(Container... containers) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u-1").endMetadata()
                .withNewSpec().withNewSecurityContext().withRunAsUser(1000L).withRunAsGroup(3000L).withFsGroup(2000L)
                .withSupplementalGroups(4000L).endSecurityContext().withContainers(containers).endSpec().build();
    }

    @Test
    void aContainersOwnSettingsWinOverThePodsAndEveryContainerGetsTheFsGroup() {
        Container own = new ContainerBuilder().withName("own").withImage("busybox").withNewSecurityContext()
                .withRunAsUser(2000L).withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withAdd("NET_ADMIN").withDrop("CHOWN").endCapabilities().endSecurityContext().build();
        Container plain = new ContainerBuilder().withName("plain").withImage("busybox").build();
        Pod pod = pod(own, plain);

        var mine = SecurityContexts.container(pod, own, NAMESPACES);
        assertThat(mine.getRunAsUser().getValue()).isEqualTo(2000);
        assertThat(mine.getRunAsGroup().getValue()).isEqualTo(3000);
        assertThat(mine.getSupplementalGroupsList()).containsExactly(4000L, 2000L);
        assertThat(mine.getNoNewPrivs()).isTrue();
        assertThat(mine.getReadonlyRootfs()).isTrue();
        assertThat(mine.getCapabilities().getAddCapabilitiesList()).containsExactly("NET_ADMIN");
        assertThat(mine.getCapabilities().getDropCapabilitiesList()).containsExactly("CHOWN");

        var inherited = SecurityContexts.container(pod, plain, NAMESPACES);
        assertThat(inherited.getRunAsUser().getValue()).isEqualTo(1000);
        assertThat(inherited.getNoNewPrivs()).isFalse();
        assertThat(inherited.getPrivileged()).isFalse();
        assertThat(SecurityContexts.sandbox(pod, NAMESPACES).getPrivileged()).isFalse();
    }

    @Test
    void aPrivilegedContainerNeedsAPrivilegedSandbox() {
        Container privileged = new ContainerBuilder().withName("p").withImage("busybox").withNewSecurityContext()
                .withPrivileged(true).endSecurityContext().build();
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .withInitContainers(privileged).addNewContainer().withName("app").withImage("busybox").endContainer()
                .endSpec().build();
        assertThat(SecurityContexts.sandbox(pod, NAMESPACES).getPrivileged()).isTrue();
        assertThat(SecurityContexts.container(pod, privileged, NAMESPACES).getPrivileged()).isTrue();
        assertThat(SecurityContexts.container(pod, pod.getSpec().getContainers().getFirst(), NAMESPACES).hasRunAsUser())
                .isFalse();
    }

    @Test
    void runAsNonRootIsCheckedAgainstTheUserTheContainerWouldRunAs() {
        Container nonRoot = new ContainerBuilder().withName("c").withImage("busybox").withNewSecurityContext()
                .withRunAsNonRoot(true).endSecurityContext().build();
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u-1").endMetadata()
                .withNewSpec().withContainers(nonRoot).endSpec().build();
        String where = "(pod: \"web_shop(u-1)\", container: c)";

        assertThat(SecurityContexts.nonRootViolation(pod, nonRoot, Optional::empty))
                .contains("container has runAsNonRoot and image will run as root " + where);
        assertThat(SecurityContexts.nonRootViolation(pod, nonRoot,
                () -> Optional.of(Image.newBuilder().setUid(Int64Value.newBuilder().setValue(0)).build())))
                .contains("container has runAsNonRoot and image will run as root " + where);
        assertThat(SecurityContexts.nonRootViolation(pod, nonRoot,
                () -> Optional.of(Image.newBuilder().setUid(Int64Value.newBuilder().setValue(65534)).build()))).isEmpty();
        assertThat(SecurityContexts.nonRootViolation(pod, nonRoot,
                () -> Optional.of(Image.newBuilder().setUsername("nobody").build())))
                .contains("container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is "
                        + "non-root " + where);

        Pod asRoot = new PodBuilder(pod).editSpec().withNewSecurityContext().withRunAsUser(0L).endSecurityContext()
                .endSpec().build();
        assertThat(SecurityContexts.nonRootViolation(asRoot, nonRoot, () -> {
            throw new AssertionError("the image is not asked when the spec names the user");
        })).contains("container's runAsUser breaks non-root policy " + where);
        Container unchecked = new ContainerBuilder().withName("c").withImage("busybox").build();
        assertThat(SecurityContexts.nonRootViolation(pod, unchecked, Optional::empty)).isEmpty();
    }

    @Test
    void theSeccompProfileIsTheContainersOrThePods() {
        Container own = new ContainerBuilder().withName("own").withImage("busybox").withNewSecurityContext()
                .withNewSeccompProfile().withType("Localhost").withLocalhostProfile("profiles/audit.json")
                .endSeccompProfile().endSecurityContext().build();
        Container plain = new ContainerBuilder().withName("plain").withImage("busybox").build();
        Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().withNewSecurityContext()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .withContainers(own, plain).endSpec().build();
        var localhost = SecurityContexts.container(pod, own, NAMESPACES).getSeccomp();
        assertThat(localhost.getProfileType()).isEqualTo(dev.konductor.kubelet.cri.v1.SecurityProfile.ProfileType.Localhost);
        assertThat(localhost.getLocalhostRef()).isEqualTo("/var/lib/kubelet/seccomp/profiles/audit.json");
        assertThat(SecurityContexts.container(pod, plain, NAMESPACES).getSeccomp().getProfileType())
                .isEqualTo(dev.konductor.kubelet.cri.v1.SecurityProfile.ProfileType.RuntimeDefault);
        assertThat(SecurityContexts.sandbox(pod, NAMESPACES).hasSeccomp()).isTrue();
        assertThat(SecurityContexts.container(pod(plain), plain, NAMESPACES).hasSeccomp()).isFalse();
    }
}
