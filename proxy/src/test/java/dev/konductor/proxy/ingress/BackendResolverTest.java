package dev.konductor.proxy.ingress;

import static dev.konductor.proxy.ingress.IngressObjects.backend;
import static dev.konductor.proxy.ingress.IngressObjects.endpoint;
import static dev.konductor.proxy.ingress.IngressObjects.service;
import static dev.konductor.proxy.ingress.IngressObjects.servicePort;
import static dev.konductor.proxy.ingress.IngressObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackendResolverTest {

    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, List<EndpointSlice>> slices = new HashMap<>();
    private final BackendResolver resolver = new BackendResolver(
            (ns, name) -> Optional.ofNullable(services.get(ns + "/" + name)),
            (ns, name) -> slices.getOrDefault(ns + "/" + name, List.of()));

    @Test
    void aPortNumberOrNameLeadsToTheSlicePortOfTheSameServicePort() {
        services.put("ns/web", service("ns", "web", servicePort("http", 80, 8080), servicePort("admin", 81, 9090)));
        slices.put("ns/web", List.of(
                slice("ns", "web-a", "web", "http", 8080, List.of(endpoint("10.0.0.1", true))),
                slice("ns", "web-b", "web", "admin", 9090, List.of(endpoint("10.0.0.1", true)))));

        assertThat(addresses(resolver.resolve("ns", backend("web", 80)))).containsExactly("10.0.0.1:8080");
        assertThat(addresses(resolver.resolve("ns", backend("web", "admin")))).containsExactly("10.0.0.1:9090");
        assertThat(resolver.resolve("ns", backend("web", 82))).isInstanceOfSatisfying(Target.Unavailable.class,
                u -> assertThat(u.reason()).isEqualTo("service ns/web has no port 82"));
    }

    @Test
    void onlyReadyEndpointsUnlessNoneIsReadyThenServingTerminatingOnes() {
        services.put("ns/web", service("ns", "web", servicePort("", 80, 8080)));
        Endpoint terminating = new EndpointBuilder().withAddresses("10.0.0.3").withNewConditions().withReady(false)
                .withServing(true).withTerminating(true).endConditions().build();
        slices.put("ns/web", new ArrayList<>(List.of(slice("ns", "web-a", "web", "", 8080, List.of(
                endpoint("10.0.0.1", true), endpoint("10.0.0.2", false), endpoint("10.0.0.4", null), terminating)))));
        assertThat(addresses(resolver.resolve("ns", backend("web", 80))))
                .containsExactly("10.0.0.1:8080", "10.0.0.4:8080");

        slices.put("ns/web", List.of(slice("ns", "web-a", "web", "", 8080, List.of(endpoint("10.0.0.2", false),
                terminating))));
        assertThat(addresses(resolver.resolve("ns", backend("web", 80)))).containsExactly("10.0.0.3:8080");

        slices.put("ns/web", List.of(slice("ns", "web-a", "web", "", 8080, List.of(endpoint("10.0.0.2", false)))));
        assertThat(resolver.resolve("ns", backend("web", 80))).isInstanceOfSatisfying(Target.Unavailable.class,
                u -> assertThat(u.reason()).isEqualTo("no ready endpoints"));
    }

    @Test
    void missingServicesExternalNamesAndResourceBackendsAreUnavailable() {
        assertThat(resolver.resolve("ns", backend("nope", 80))).isInstanceOfSatisfying(Target.Unavailable.class,
                u -> assertThat(u.reason()).isEqualTo("service ns/nope not found"));
        services.put("ns/out", new ServiceBuilder().withNewMetadata().withName("out").withNamespace("ns").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("example.com").endSpec().build());
        assertThat(resolver.resolve("ns", backend("out", 80))).isInstanceOf(Target.Unavailable.class);
        assertThat(resolver.resolve("ns", new IngressBackendBuilder().withNewResource("example.com", "Bucket", "b")
                .build())).isInstanceOf(Target.Unavailable.class);
    }

    @Test
    void roundRobinCarriesOnAcrossRebuilds() {
        services.put("ns/web", service("ns", "web", servicePort("http", 80, 8080)));
        slices.put("ns/web", List.of(slice("ns", "web-a", "web", "http", 8080,
                List.of(endpoint("10.0.0.1", true), endpoint("10.0.0.2", true)))));
        Target.Endpoints first = (Target.Endpoints) resolver.resolve("ns", backend("web", 80));
        assertThat(first.next().getAddress().getHostAddress()).isEqualTo("10.0.0.1");
        Target.Endpoints rebuilt = (Target.Endpoints) resolver.resolve("ns", backend("web", 80));
        assertThat(rebuilt.next().getAddress().getHostAddress()).as("the turn carries on").isEqualTo("10.0.0.2");
        assertThat(rebuilt.next().getAddress().getHostAddress()).isEqualTo("10.0.0.1");
    }

    @Test
    void classesServedAreOursByControllerAndIngressesWithoutClass() {
        var ours = IngressClassRules.defaultClass("konductor", "konductor.dev/ingress");
        var mine = IngressClassRules.defaultClass("mine", "konductor.dev/ingress");
        var nginx = IngressClassRules.defaultClass("nginx", "k8s.io/ingress-nginx");
        assertThat(ours.getMetadata().getAnnotations()).containsEntry("ingressclass.kubernetes.io/is-default-class", "true");
        var served = IngressClassRules.servedClasses(List.of(ours, mine, nginx), "konductor", "konductor.dev/ingress");
        assertThat(served).containsExactlyInAnyOrder("konductor", "mine");
        assertThat(IngressClassRules.serves(IngressObjects.ingress("ns", "a"), served)).isTrue();
        assertThat(IngressClassRules.serves(IngressObjects.ingress("ns", "b", "nginx", null), served)).isFalse();
        assertThat(IngressClassRules.serves(IngressObjects.ingress("ns", "c", "mine", null), served)).isTrue();
        var legacy = IngressObjects.ingress("ns", "d");
        legacy.getMetadata().setAnnotations(Map.of(IngressClassRules.LEGACY_CLASS_ANNOTATION, "nginx"));
        assertThat(IngressClassRules.serves(legacy, served)).isFalse();
        var taken = IngressClassRules.defaultClass("konductor", "someone.else/ingress");
        assertThat(IngressClassRules.servedClasses(List.of(taken), "konductor", "konductor.dev/ingress")).isEmpty();
    }

    private static List<String> addresses(Target target) {
        assertThat(target).isInstanceOf(Target.Endpoints.class);
        return ((Target.Endpoints) target).addresses().stream()
                .map((InetSocketAddress a) -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList();
    }
}
