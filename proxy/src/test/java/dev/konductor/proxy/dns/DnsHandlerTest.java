package dev.konductor.proxy.dns;

import static dev.konductor.proxy.dns.TestObjects.endpoint;
import static dev.konductor.proxy.dns.TestObjects.endpointPort;
import static dev.konductor.proxy.dns.TestObjects.externalName;
import static dev.konductor.proxy.dns.TestObjects.headless;
import static dev.konductor.proxy.dns.TestObjects.port;
import static dev.konductor.proxy.dns.TestObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsHandlerTest {

    private final FakeClusterState state = new FakeClusterState();
    private final AtomicReference<Message> forwarded = new AtomicReference<>();
    private final ClusterRecords records = new ClusterRecords(Name.fromConstantString("cluster.local."), 30,
            PodRecords.INSECURE, state, 7);
    /** Upstream knows one name, example.com, and always answers with an EDNS record of its own. */
    private final Forwarder upstream = query -> {
        forwarded.set(query);
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        if (query.getQuestion().getName().equals(Name.fromConstantString("example.com."))) {
            reply.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 300, InetAddress.ofLiteral("192.0.2.7")),
                    Section.ANSWER);
        } else {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        reply.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        return reply;
    };
    private final DnsHandler handler = new DnsHandler(records, upstream);

    DnsHandlerTest() {
        List<Endpoint> many = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            many.add(endpoint("10.244.1." + i, true, null));
        }
        state.add(headless("shop", "big", port("http", 80, "TCP")))
                .add(slice("shop", "big-1", "big", "IPv4", many, endpointPort("http", 8080, "TCP")))
                .add(externalName("shop", "out", "example.com"))
                .add(externalName("shop", "alias", "big.shop.svc.cluster.local"));
    }

    private static Message query(String name, int type, boolean edns) {
        Message query = Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
        if (edns) {
            query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        }
        return query;
    }

    @Test
    void nxdomainInTheZoneIsAuthoritativeWithTheSoa() {
        Message query = query("nope.shop.svc.cluster.local.", Type.A, false);
        Message response = handler.respond(query);
        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement()
                .satisfies(soa -> assertThat(soa.getType()).isEqualTo(Type.SOA))
                .satisfies(soa -> assertThat(soa.getName()).hasToString("cluster.local."));
        assertThat(forwarded.get()).isNull();
    }

    @Test
    void noDataIsNoerrorWithTheSoa() {
        Message response = handler.respond(query("big.shop.svc.cluster.local.", Type.AAAA, false));
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void largeAnswersAreTruncatedOverUdpAndWholeOverTcp() throws IOException {
        Message plain = new Message(handler.answerUdp(query("big.shop.svc.cluster.local.", Type.A, false).toWire()));
        assertThat(plain.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(plain.toWire().length).isLessThanOrEqualTo(512);
        assertThat(plain.getSection(Section.ANSWER)).as("as many records as fit, for clients that ignore TC").isNotEmpty();

        byte[] ednsWire = handler.answerUdp(query("big.shop.svc.cluster.local.", Type.A, true).toWire());
        assertThat(ednsWire.length).isLessThanOrEqualTo(DnsHandler.MAX_UDP_PAYLOAD);
        Message edns = new Message(ednsWire);
        assertThat(edns.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(edns.getSection(Section.ANSWER).size()).isGreaterThan(plain.getSection(Section.ANSWER).size());

        Message tcp = new Message(handler.answerTcp(query("big.shop.svc.cluster.local.", Type.A, false).toWire()));
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(100);
    }

    @Test
    void smallAnswersFitInUdp() throws IOException {
        Message response = new Message(handler.answerUdp(query("_http._tcp.big.shop.svc.cluster.local.", Type.SRV, true).toWire()));
        // 100 SRV records with their addresses do not fit, but the 8080 port from the slice shows
        assertThat(response.getSection(Section.ANSWER)).isNotEmpty()
                .allSatisfy(r -> assertThat(r.rdataToString()).contains(" 8080 "));
        assertThat(response.getOPT()).isNotNull();
    }

    @Test
    void namesOutsideTheZoneAreForwardedAndRepliedUnderTheClientsId() {
        Message query = query("example.com.", Type.A, false);
        Message response = handler.respond(query);
        assertThat(forwarded.get().getQuestion().getName()).hasToString("example.com.");
        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(response.getSection(Section.ANSWER)).map(Record::rdataToString).containsExactly("192.0.2.7");
        // upstream's EDNS record is not passed to a client that did not speak EDNS
        assertThat(response.getOPT()).isNull();
        assertThat(handler.respond(query("example.com.", Type.A, true)).getOPT().getPayloadSize())
                .isEqualTo(DnsHandler.MAX_UDP_PAYLOAD);
    }

    @Test
    void externalNameCnameIsFollowedOutsideAndInside() {
        Message outside = handler.respond(query("out.shop.svc.cluster.local.", Type.A, false));
        assertThat(outside.getSection(Section.ANSWER)).map(Record::rdataToString)
                .containsExactly("example.com.", "192.0.2.7");
        Message inside = handler.respond(query("alias.shop.svc.cluster.local.", Type.A, false));
        assertThat(inside.getSection(Section.ANSWER)).hasSize(101);
        Message cnameOnly = handler.respond(query("out.shop.svc.cluster.local.", Type.CNAME, false));
        assertThat(cnameOnly.getSection(Section.ANSWER)).map(Record::rdataToString).containsExactly("example.com.");
    }

    @Test
    void failuresBecomeServfail() {
        DnsHandler unreachable = new DnsHandler(records, Forwarder.none());
        assertThat(unreachable.respond(query("example.com.", Type.A, false)).getRcode()).isEqualTo(Rcode.SERVFAIL);
        state.synced = false;
        assertThat(handler.respond(query("big.shop.svc.cluster.local.", Type.A, false)).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void malformedQueriesGetFormerrOrNothing() throws IOException {
        byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07};
        Message response = new Message(handler.answerUdp(garbage));
        assertThat(response.getHeader().getID()).isEqualTo(0x1234);
        assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(handler.answerUdp(new byte[] {1, 2, 3})).isNull();
        Message aResponse = handler.respond(query("example.com.", Type.A, false));
        assertThat(handler.respond(aResponse)).as("responses are never answered").isNull();
    }
}
