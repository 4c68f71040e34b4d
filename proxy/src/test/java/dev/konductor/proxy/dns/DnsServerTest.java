package dev.konductor.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The DNS server against a real API server: objects created with the client show up as
 * records, queried with dnsjava's resolver over UDP and over TCP on loopback. Names outside the
 * cluster go to a fake upstream on loopback, never off the machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsServerTest {

    private LocalApiServer api;
    private KubernetesClient client;
    private FakeUpstream upstream;
    private DnsServer dns;
    private String webIp;

    @BeforeAll
    void start() throws Exception {
        api = LocalApiServer.start();
        client = api.client();
        upstream = new FakeUpstream();
        DnsSettings settings = DnsSettings.defaults(InetAddress.getLoopbackAddress(),
                        new UpstreamForwarder(List.of(upstream.address()), Duration.ofSeconds(2)))
                .withPort(0);
        dns = new DnsServer(client, settings);
        dns.start();
        assertThat(dns.ready()).isTrue();

        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        Service web = client.services().inNamespace("shop").resource(TestObjects.clusterIp("shop", "web", "",
                TestObjects.port("http", 80, "TCP"))).create();
        webIp = web.getSpec().getClusterIP();
        client.services().inNamespace("shop").resource(TestObjects.headless("shop", "db",
                TestObjects.port("pg", 5432, "TCP"))).create();
        client.discovery().v1().endpointSlices().inNamespace("shop").resource(TestObjects.slice("shop", "db-x1", "db", "IPv4",
                List.of(TestObjects.endpoint("10.244.0.5", true, "db-0"), TestObjects.endpoint("10.244.0.6", true, "db-1"),
                        TestObjects.endpoint("10.244.0.7", false, "db-2")),
                TestObjects.endpointPort("pg", 5432, "TCP"))).create();
        client.services().inNamespace("shop").resource(TestObjects.externalName("shop", "out", "example.com")).create();
        List<Endpoint> many = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            many.add(TestObjects.endpoint("10.244.2." + i, true, null));
        }
        client.services().inNamespace("shop").resource(TestObjects.headless("shop", "big")).create();
        client.discovery().v1().endpointSlices().inNamespace("shop")
                .resource(TestObjects.slice("shop", "big-x1", "big", "IPv4", many)).create();
        Await.until("the DNS server sees the objects", () -> answers("big.shop.svc.cluster.local.", Type.A, true).size() == 100);
    }

    @AfterAll
    void stop() {
        if (dns != null) {
            dns.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (api != null) {
            api.close();
        }
    }

    private Message ask(String name, int type, boolean tcp) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port()));
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(3));
        try {
            return resolver.send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN)));
        } catch (IOException e) {
            throw new AssertionError("no answer for " + name, e);
        }
    }

    private List<String> answers(String name, int type, boolean tcp) {
        return ask(name, type, tcp).getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void serviceRecords(boolean tcp) {
        assertThat(answers("web.shop.svc.cluster.local.", Type.A, tcp)).containsExactly(webIp);
        Message answer = ask("web.shop.svc.cluster.local.", Type.A, tcp);
        assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(answer.getSection(Section.ANSWER).getFirst().getTTL()).isEqualTo(30);
        assertThat(answers("_http._tcp.web.shop.svc.cluster.local.", Type.SRV, tcp))
                .containsExactly("0 100 80 web.shop.svc.cluster.local.");
        assertThat(answers("db.shop.svc.cluster.local.", Type.A, tcp)).containsExactlyInAnyOrder("10.244.0.5", "10.244.0.6");
        assertThat(answers("db-1.db.shop.svc.cluster.local.", Type.A, tcp)).containsExactly("10.244.0.6");
        assertThat(answers("_pg._tcp.db.shop.svc.cluster.local.", Type.SRV, tcp)).containsExactlyInAnyOrder(
                "0 50 5432 db-0.db.shop.svc.cluster.local.", "0 50 5432 db-1.db.shop.svc.cluster.local.");
        assertThat(answers("10-244-9-9.shop.pod.cluster.local.", Type.A, tcp)).containsExactly("10.244.9.9");
    }

    @Test
    void theApiServerBootstrapsTheKubeDnsService() {
        Service kubeDns = client.services().inNamespace("kube-system").withName("kube-dns").get();
        assertThat(kubeDns.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
        assertThat(kubeDns.getSpec().getPorts()).extracting(p -> p.getName() + " " + p.getPort() + "/" + p.getProtocol())
                .containsExactly("dns 53/UDP", "dns-tcp 53/TCP");
        assertThat(kubeDns.getMetadata().getLabels()).containsEntry("k8s-app", "kube-dns");
        assertThat(answers("kube-dns.kube-system.svc.cluster.local.", Type.A, false)).containsExactly("10.96.0.10");
        assertThat(answers("ns.dns.cluster.local.", Type.A, false)).containsExactly("10.96.0.10");
        assertThat(answers("_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local.", Type.SRV, false))
                .containsExactly("0 100 53 kube-dns.kube-system.svc.cluster.local.");
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void pointerRecords(boolean tcp) throws Exception {
        assertThat(answers(ReverseMap.fromAddress(webIp).toString(), Type.PTR, tcp))
                .containsExactly("web.shop.svc.cluster.local.");
        assertThat(answers(ReverseMap.fromAddress("10.244.0.5").toString(), Type.PTR, tcp))
                .containsExactly("db-0.db.shop.svc.cluster.local.");
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void unknownNamesAreNxdomainWithTheSoa(boolean tcp) {
        Message answer = ask("nope.shop.svc.cluster.local.", Type.A, tcp);
        assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(answer.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void otherNamesAreForwardedToTheUpstream(boolean tcp) {
        assertThat(answers("example.com.", Type.A, tcp)).containsExactly(FakeUpstream.KNOWN_ADDRESS);
        assertThat(upstream.asked).contains("example.com. A");
        assertThat(ask("unknown.example.", Type.A, tcp).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        // an ExternalName Service is a CNAME, followed through the upstream
        assertThat(answers("out.shop.svc.cluster.local.", Type.A, tcp)).containsExactly("example.com.", FakeUpstream.KNOWN_ADDRESS);
    }

    @Test
    void largeAnswersAreTruncatedOverUdpAndWholeOverTcp() {
        SimpleResolver udp = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port()));
        udp.setIgnoreTruncation(true);
        udp.setEDNS(-1, 0, 0, List.of()); // a plain 512-byte client
        Message truncated;
        try {
            truncated = udp.send(Message.newQuery(Record.newRecord(Name.fromConstantString("big.shop.svc.cluster.local."),
                    Type.A, DClass.IN)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getSection(Section.ANSWER)).isNotEmpty().hasSizeLessThan(100);
        assertThat(answers("big.shop.svc.cluster.local.", Type.A, true)).hasSize(100);
        // dnsjava's resolver retries a truncated UDP answer over TCP by itself, as stub resolvers do
        assertThat(answers("big.shop.svc.cluster.local.", Type.A, false)).hasSize(100);
    }

    @Test
    void recordsFollowTheCluster() {
        client.services().inNamespace("shop").resource(TestObjects.clusterIp("shop", "late", "",
                TestObjects.port("http", 80, "TCP"))).create();
        Await.until("a new Service resolves", () -> ask("late.shop.svc.cluster.local.", Type.A, false).getRcode() == Rcode.NOERROR
                && !answers("late.shop.svc.cluster.local.", Type.A, false).isEmpty());

        // a Service of its own, so the other tests' expectations hold in any order
        client.services().inNamespace("shop").resource(TestObjects.headless("shop", "flip")).create();
        EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace("shop").resource(TestObjects.slice(
                "shop", "flip-x1", "flip", "IPv4", List.of(TestObjects.endpoint("10.244.3.1", true, null),
                        TestObjects.endpoint("10.244.3.2", false, null)))).create();
        Await.until("the slice shows", () -> answers("flip.shop.svc.cluster.local.", Type.A, false).equals(List.of("10.244.3.1")));
        client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder(slice)
                .editEndpoint(0).editConditions().withReady(false).endConditions().endEndpoint()
                .editEndpoint(1).editConditions().withReady(true).endConditions().endEndpoint().build()).update();
        Await.until("readiness changes show", () -> answers("flip.shop.svc.cluster.local.", Type.A, false)
                .equals(List.of("10.244.3.2")));

        client.services().inNamespace("shop").withName("late").delete();
        Await.until("a deleted Service is gone", () -> ask("late.shop.svc.cluster.local.", Type.A, false).getRcode() == Rcode.NXDOMAIN);
    }
}
