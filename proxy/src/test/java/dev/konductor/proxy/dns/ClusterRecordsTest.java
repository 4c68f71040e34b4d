package dev.konductor.proxy.dns;

import static dev.konductor.proxy.dns.TestObjects.clusterIp;
import static dev.konductor.proxy.dns.TestObjects.endpoint;
import static dev.konductor.proxy.dns.TestObjects.endpointPort;
import static dev.konductor.proxy.dns.TestObjects.externalName;
import static dev.konductor.proxy.dns.TestObjects.headless;
import static dev.konductor.proxy.dns.TestObjects.port;
import static dev.konductor.proxy.dns.TestObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ClusterRecordsTest {

    private final FakeClusterState state = new FakeClusterState()
            .add(clusterIp("shop", "web", "10.96.0.20", port("http", 80, "TCP"), port("", 8080, "TCP"),
                    port("dns", 53, "UDP")))
            .add(clusterIp("shop", "dual", List.of("10.96.0.21", "fd00:96::21"), port("http", 80, "TCP")))
            .add(headless("shop", "db", port("pg", 5432, "TCP")))
            .add(slice("shop", "db-abc", "db", "IPv4", List.of(
                            endpoint("10.244.0.5", true, "db-0"),
                            endpoint("10.244.0.6", null, "db-1"),
                            endpoint("10.244.0.7", false, "db-2"),
                            endpoint("10.244.0.8", true, null)),
                    endpointPort("pg", 5432, "TCP")))
            // the same endpoint seen in a second slice while it moves between slices
            .add(slice("shop", "db-def", "db", "IPv4", List.of(endpoint("10.244.0.5", true, "db-0")),
                    endpointPort("pg", 5432, "TCP")))
            .add(headless("shop", "empty"))
            .add(externalName("shop", "search", "search.example.com"))
            .add(clusterIp("kube-system", "kube-dns", "10.96.0.10", port("dns", 53, "UDP")));
    private final ClusterRecords records = new ClusterRecords(name("cluster.local."), 30, PodRecords.INSECURE, state, 1);

    private static Name name(String text) {
        return Name.fromConstantString(text);
    }

    private Lookup lookup(String qname, int type) {
        return records.lookup(name(qname), type);
    }

    /** The answers' data as dig prints it. */
    private List<String> answers(String qname, int type) {
        Lookup lookup = lookup(qname, type);
        assertThat(lookup).as(qname).isInstanceOf(Lookup.Answer.class);
        return ((Lookup.Answer) lookup).answers().stream().map(Record::rdataToString).toList();
    }

    @Test
    void clusterIpServiceResolvesToItsClusterIp() {
        assertThat(answers("web.shop.svc.cluster.local.", Type.A)).containsExactly("10.96.0.20");
        Record record = ((Lookup.Answer) lookup("web.shop.svc.cluster.local.", Type.A)).answers().getFirst();
        assertThat(record.getTTL()).isEqualTo(30);
        assertThat(lookup("web.shop.svc.cluster.local.", Type.AAAA)).isInstanceOf(Lookup.NoData.class);
        assertThat(lookup("web.shop.svc.cluster.local.", Type.MX)).isInstanceOf(Lookup.NoData.class);
    }

    @Test
    void namesAreCaseInsensitiveAndAnswersKeepTheQuestionsSpelling() {
        Lookup lookup = lookup("WEB.Shop.SVC.Cluster.Local.", Type.A);
        assertThat(((Lookup.Answer) lookup).answers().getFirst().getName().toString()).isEqualTo("WEB.Shop.SVC.Cluster.Local.");
    }

    @Test
    void dualStackServiceAnswersBothFamilies() {
        assertThat(answers("dual.shop.svc.cluster.local.", Type.A)).containsExactly("10.96.0.21");
        assertThat(answers("dual.shop.svc.cluster.local.", Type.AAAA)).containsExactly("fd00:96:0:0:0:0:0:21");
        assertThat(answers("dual.shop.svc.cluster.local.", Type.ANY)).containsExactly("10.96.0.21", "fd00:96:0:0:0:0:0:21");
    }

    @Test
    void headlessServiceResolvesToReadyEndpointsOnce() {
        // db-2 is not ready; a missing condition counts as ready; 10.244.0.5 is in two slices
        assertThat(answers("db.shop.svc.cluster.local.", Type.A))
                .containsExactlyInAnyOrder("10.244.0.5", "10.244.0.6", "10.244.0.8");
    }

    @Test
    void publishNotReadyAddressesIncludesNotReadyEndpoints() {
        state.services.replaceAll(s -> s.getMetadata().getName().equals("db")
                ? new ServiceBuilder(s).editSpec().withPublishNotReadyAddresses(true).endSpec().build() : s);
        assertThat(answers("db.shop.svc.cluster.local.", Type.A)).contains("10.244.0.7");
        assertThat(answers("db-2.db.shop.svc.cluster.local.", Type.A)).containsExactly("10.244.0.7");
    }

    @Test
    void headlessServiceWithoutEndpointsIsNoDataNotNxdomain() {
        assertThat(lookup("empty.shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NoData.class);
    }

    @Test
    void endpointsAreNamedByHostnameOrDashedAddress() {
        assertThat(answers("db-0.db.shop.svc.cluster.local.", Type.A)).containsExactly("10.244.0.5");
        assertThat(answers("10-244-0-8.db.shop.svc.cluster.local.", Type.A)).containsExactly("10.244.0.8");
        assertThat(lookup("db-2.db.shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NxDomain.class);
        assertThat(lookup("db-9.db.shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NxDomain.class);
    }

    @Test
    void externalNameIsACname() {
        assertThat(answers("search.shop.svc.cluster.local.", Type.A)).containsExactly("search.example.com.");
        assertThat(((Lookup.Answer) lookup("search.shop.svc.cluster.local.", Type.AAAA)).answers().getFirst().getType())
                .isEqualTo(Type.CNAME);
    }

    @Test
    void srvForNamedPortsOfAClusterIpService() {
        Lookup.Answer answer = (Lookup.Answer) lookup("_http._tcp.web.shop.svc.cluster.local.", Type.SRV);
        assertThat(answer.answers()).map(Record::rdataToString).containsExactly("0 100 80 web.shop.svc.cluster.local.");
        assertThat(answer.additional()).map(Record::toString)
                .containsExactly("web.shop.svc.cluster.local.\t30\tIN\tA\t10.96.0.20");
        assertThat(answers("_dns._udp.web.shop.svc.cluster.local.", Type.SRV)).containsExactly("0 100 53 web.shop.svc.cluster.local.");
        // the protocol must match, and unnamed ports have no SRV record
        assertThat(lookup("_dns._tcp.web.shop.svc.cluster.local.", Type.SRV)).isInstanceOf(Lookup.NxDomain.class);
        assertThat(lookup("_http._tcp.web.shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NoData.class);
        assertThat(lookup("_tcp.web.shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NoData.class);
        assertThat(lookup("_sctp.web.shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NxDomain.class);
    }

    @Test
    void srvForAHeadlessServiceNamesEachEndpoint() {
        Lookup.Answer answer = (Lookup.Answer) lookup("_pg._tcp.db.shop.svc.cluster.local.", Type.SRV);
        assertThat(answer.answers()).map(Record::rdataToString).containsExactlyInAnyOrder(
                "0 33 5432 db-0.db.shop.svc.cluster.local.",
                "0 33 5432 db-1.db.shop.svc.cluster.local.",
                "0 33 5432 10-244-0-8.db.shop.svc.cluster.local.");
        assertThat(answer.additional()).map(Record::rdataToString)
                .containsExactlyInAnyOrder("10.244.0.5", "10.244.0.6", "10.244.0.8");
    }

    @ParameterizedTest
    @CsvSource({
            "10.96.0.20, web.shop.svc.cluster.local.",
            "10.244.0.5, db-0.db.shop.svc.cluster.local.",
            "10.244.0.8, 10-244-0-8.db.shop.svc.cluster.local.",
            "fd00:96::21, dual.shop.svc.cluster.local."})
    void pointerRecordsForClusterIpsAndEndpoints(String ip, String target) throws Exception {
        Name reverse = org.xbill.DNS.ReverseMap.fromAddress(ip);
        Lookup lookup = records.lookup(reverse, Type.PTR);
        assertThat(((Lookup.Answer) lookup).answers()).map(Record::rdataToString).containsExactly(target);
    }

    @Test
    void unknownReverseNamesAndNotReadyEndpointsGoElsewhere() throws Exception {
        assertThat(records.lookup(org.xbill.DNS.ReverseMap.fromAddress("192.0.2.1"), Type.PTR)).isInstanceOf(Lookup.Elsewhere.class);
        assertThat(records.lookup(org.xbill.DNS.ReverseMap.fromAddress("10.244.0.7"), Type.PTR)).isInstanceOf(Lookup.Elsewhere.class);
    }

    @Test
    void podNamesResolveToTheirDashedAddress() {
        assertThat(answers("10-244-1-7.shop.pod.cluster.local.", Type.A)).containsExactly("10.244.1.7");
        assertThat(answers("fd00--7.shop.pod.cluster.local.", Type.AAAA)).containsExactly("fd00:0:0:0:0:0:0:7");
        assertThat(lookup("10-244-1-7.shop.pod.cluster.local.", Type.AAAA)).isInstanceOf(Lookup.NoData.class);
        assertThat(lookup("not-an-ip.shop.pod.cluster.local.", Type.A)).isInstanceOf(Lookup.NxDomain.class);
        assertThat(lookup("shop.pod.cluster.local.", Type.A)).isInstanceOf(Lookup.NoData.class);
        ClusterRecords noPods = new ClusterRecords(name("cluster.local."), 30, PodRecords.DISABLED, state, 1);
        assertThat(noPods.lookup(name("10-244-1-7.shop.pod.cluster.local."), Type.A)).isInstanceOf(Lookup.NxDomain.class);
    }

    @Test
    void unknownNamesInTheZoneAreNxdomainAndExistingParentsNoData() {
        assertThat(lookup("nope.shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NxDomain.class);
        assertThat(lookup("web.nowhere.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NxDomain.class);
        assertThat(lookup("nowhere.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NxDomain.class);
        assertThat(lookup("whatever.cluster.local.", Type.A)).isInstanceOf(Lookup.NxDomain.class);
        assertThat(lookup("a.b.c.web.shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NxDomain.class);
        assertThat(lookup("shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NoData.class);
        assertThat(lookup("svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NoData.class);
        assertThat(lookup("cluster.local.", Type.A)).isInstanceOf(Lookup.NoData.class);
    }

    @Test
    void apexVersionAndNameserver() {
        assertThat(answers("cluster.local.", Type.SOA)).singleElement().asString()
                .startsWith("ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30");
        assertThat(answers("cluster.local.", Type.NS)).containsExactly("ns.dns.cluster.local.");
        assertThat(answers("ns.dns.cluster.local.", Type.A)).containsExactly("10.96.0.10");
        assertThat(answers("dns-version.cluster.local.", Type.TXT)).containsExactly("\"1.1.0\"");
    }

    @Test
    void namesOutsideTheZoneAreNotOurs() {
        assertThat(lookup("example.com.", Type.A)).isInstanceOf(Lookup.Elsewhere.class);
        assertThat(lookup("web.shop.svc.cluster.local.example.", Type.A)).isInstanceOf(Lookup.Elsewhere.class);
    }

    @Test
    void beforeTheCachesSyncTheZoneIsNotReady() {
        state.synced = false;
        assertThat(lookup("web.shop.svc.cluster.local.", Type.A)).isInstanceOf(Lookup.NotReady.class);
        assertThat(lookup("example.com.", Type.A)).isInstanceOf(Lookup.Elsewhere.class);
    }

    @Test
    void anotherClusterDomain() {
        ClusterRecords other = new ClusterRecords(name("k8s.example.internal."), 5, PodRecords.INSECURE, state, 1);
        Lookup lookup = other.lookup(name("web.shop.svc.k8s.example.internal."), Type.A);
        assertThat(((Lookup.Answer) lookup).answers()).map(Record::toString)
                .containsExactly("web.shop.svc.k8s.example.internal.\t5\tIN\tA\t10.96.0.20");
        assertThat(other.lookup(name("web.shop.svc.cluster.local."), Type.A)).isInstanceOf(Lookup.Elsewhere.class);
    }
}
