package dev.konductor.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class DesiredEndpointsTest {

    public static Service service(String name, boolean publishNotReady, IntOrString targetPort) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().addToSelector("app", "web").withClusterIP("10.96.0.10")
                .withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").withTargetPort(targetPort).endPort()
                .endSpec().build();
    }

    public static Pod pod(String name, String ip, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
                .addToLabels("app", "web").endMetadata()
                .withNewSpec().withNodeName("node-1")
                .addNewContainer().withName("c").withImage("nginx").addNewPort().withName("web").withContainerPort(8080).endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }

    @Test
    void readyPodsAreAddressesAndTheOthersNotReadyAddresses() {
        DesiredEndpoints desired = DesiredEndpoints.of(service("web", false, new IntOrString("web")),
                List.of(pod("b", "10.0.0.10", true), pod("a", "10.0.0.9", true), pod("c", "10.0.0.11", false)));

        assertThat(desired.subsets()).hasSize(1);
        EndpointSubset subset = desired.subsets().getFirst();
        assertThat(subset.getAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.0.0.9", "10.0.0.10");
        assertThat(subset.getNotReadyAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.0.0.11");
        assertThat(subset.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        EndpointAddress first = subset.getAddresses().getFirst();
        assertThat(first.getNodeName()).isEqualTo("node-1");
        assertThat(first.getTargetRef().getKind()).isEqualTo("Pod");
        assertThat(first.getTargetRef().getName()).isEqualTo("a");
        assertThat(first.getTargetRef().getUid()).isEqualTo("uid-a");
        assertThat(first.getHostname()).isNull();
    }

    @Test
    void publishNotReadyAddressesPutsEveryPodInAddresses() {
        DesiredEndpoints desired = DesiredEndpoints.of(service("web", true, new IntOrString(8080)),
                List.of(pod("a", "10.0.0.9", false)));

        assertThat(desired.subsets().getFirst().getAddresses()).hasSize(1);
        assertThat(desired.subsets().getFirst().getNotReadyAddresses()).isEmpty();
    }

    @Test
    void podsWithoutIpTerminalOrTerminatingOrUnselectedAreLeftOut() {
        Pod noIp = new PodBuilder(pod("a", "10.0.0.9", true)).editStatus().withPodIP(null).endStatus().build();
        Pod done = new PodBuilder(pod("b", "10.0.0.10", true)).editStatus().withPhase("Succeeded").endStatus().build();
        Pod deleting = new PodBuilder(pod("c", "10.0.0.11", true)).editMetadata()
                .withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata().build();
        Pod other = new PodBuilder(pod("d", "10.0.0.12", true)).editMetadata().addToLabels("app", "db").endMetadata()
                .build();

        assertThat(DesiredEndpoints.of(service("web", false, new IntOrString(80)), List.of(noIp, done, deleting, other))
                .subsets()).isEmpty();
    }

    @Test
    void aPodWithoutTheNamedPortIsLeftOutAndHostnameNeedsTheMatchingSubdomain() {
        Pod noPort = new PodBuilder(pod("a", "10.0.0.9", true)).editSpec().editFirstContainer().withPorts(List.of())
                .endContainer().endSpec().build();
        Pod named = new PodBuilder(pod("b", "10.0.0.10", true)).editSpec().withHostname("b-host").withSubdomain("web")
                .endSpec().build();
        Pod otherSubdomain = new PodBuilder(pod("c", "10.0.0.11", true)).editSpec().withHostname("c-host")
                .withSubdomain("elsewhere").endSpec().build();

        DesiredEndpoints desired = DesiredEndpoints.of(service("web", false, new IntOrString("web")),
                List.of(noPort, named, otherSubdomain));

        assertThat(desired.subsets().getFirst().getAddresses()).extracting(EndpointAddress::getIp, EndpointAddress::getHostname)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.0.10", "b-host"),
                        org.assertj.core.groups.Tuple.tuple("10.0.0.11", null));
    }

    @Test
    void headlessServiceWithoutPortsStillListsAddresses() {
        Service headless = new ServiceBuilder(service("web", false, new IntOrString(80))).editSpec().withClusterIP("None")
                .withPorts(List.of()).endSpec().build();

        DesiredEndpoints desired = DesiredEndpoints.of(headless, List.of(pod("a", "10.0.0.9", true)));

        assertThat(desired.subsets()).singleElement().satisfies(s -> {
            assertThat(s.getAddresses()).hasSize(1);
            assertThat(s.getPorts()).isEmpty();
        });
        assertThat(EndpointsController.labels(headless)).containsEntry("service.kubernetes.io/headless", "");
    }

    @Test
    void moreThanAThousandAddressesAreTruncatedKeepingReadyOnes() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 1005; i++) {
            pods.add(pod("p" + i, "10.1." + (i / 250) + "." + (i % 250), i >= 10));
        }

        DesiredEndpoints desired = DesiredEndpoints.of(service("web", false, new IntOrString(80)), pods);

        assertThat(desired.truncated()).isTrue();
        assertThat(desired.subsets().getFirst().getAddresses()).hasSize(995);
        assertThat(desired.subsets().getFirst().getNotReadyAddresses()).hasSize(5);
    }
}
