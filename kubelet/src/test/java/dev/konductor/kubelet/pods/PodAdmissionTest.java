package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Sysctl;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodAdmissionTest {

    private static Pod pod(boolean hostNetwork, String... sysctls) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName("sysctl-example").endMetadata().withNewSpec()
                .withHostNetwork(hostNetwork).addNewContainer().withName("c").withImage("busybox").endContainer()
                .withNewSecurityContext().endSecurityContext().endSpec();
        Pod built = pod.build();
        for (String s : sysctls) {
            built.getSpec().getSecurityContext().getSysctls().add(new Sysctl(s.split("=")[0], s.split("=")[1]));
        }
        return built;
    }

    @Test
    void safeSysctlsAreAdmittedAndReachTheSandboxByTheirKernelNames() {
        Pod pod = pod(false, "kernel.shm_rmid_forced=1", "net/ipv4/ip_local_port_range=32768 60999");
        assertThat(PodAdmission.check(pod)).isEmpty();
        assertThat(SandboxConfigs.sysctls(pod)).isEqualTo(Map.of("kernel.shm_rmid_forced", "1",
                "net.ipv4.ip_local_port_range", "32768 60999"));
        assertThat(PodAdmission.check(pod(false))).isEmpty();
    }

    @Test
    void anUnsafeSysctlOrANetworkOneOnTheNodesNetworkIsForbidden() {
        assertThat(PodAdmission.check(pod(false, "kernel.shm_rmid_forced=0", "net.core.somaxconn=1024")))
                .contains(new PodAdmission.Rejection("SysctlForbidden",
                        "forbidden sysctl: \"net.core.somaxconn\" not allowlisted"));
        assertThat(PodAdmission.check(pod(true, "net.ipv4.tcp_syncookies=1")))
                .contains(new PodAdmission.Rejection("SysctlForbidden",
                        "forbidden sysctl: \"net.ipv4.tcp_syncookies\" not allowed with host net enabled"));
    }

    @Test
    void namesWithSlashesSwapTheirDotsAndSlashes() {
        assertThat(PodAdmission.normalized("net/ipv4/conf/eno2.100/rp_filter")).isEqualTo("net.ipv4.conf.eno2/100.rp_filter");
        assertThat(PodAdmission.normalized("net.ipv4.conf.eno2/100.rp_filter")).isEqualTo("net.ipv4.conf.eno2/100.rp_filter");
        assertThat(PodAdmission.normalized("kernel.shm_rmid_forced")).isEqualTo("kernel.shm_rmid_forced");
    }
}
