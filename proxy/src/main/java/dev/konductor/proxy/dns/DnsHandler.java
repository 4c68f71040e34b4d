package dev.konductor.proxy.dns;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns a query into a response: the cluster's records for names in the zone (authoritative,
 * with the SOA in the authority section of negative answers), the forwarder's answer for the
 * rest. Sizes responses for their transport: over UDP at most 512 bytes, or what the client's
 * EDNS record allows up to {@value #MAX_UDP_PAYLOAD}, truncated with TC set beyond that, so the
 * client asks again over TCP.
 */
final class DnsHandler {

    private static final Logger log = LoggerFactory.getLogger(DnsHandler.class);

    /** The payload size DNS Flag Day 2020 settled on: no IP fragmentation on common paths. */
    static final int MAX_UDP_PAYLOAD = 1232;
    static final int MIN_UDP_PAYLOAD = 512;
    static final int MAX_TCP_MESSAGE = 65535;
    private static final int MAX_CNAME_CHAIN = 8;

    private final ClusterRecords records;
    private final Forwarder forwarder;

    DnsHandler(ClusterRecords records, Forwarder forwarder) {
        this.records = records;
        this.forwarder = forwarder;
    }

    /** The reply datagram, or null to stay silent (a response, or too short to answer). */
    byte[] answerUdp(byte[] wire) {
        Message query = parse(wire);
        if (query == null) {
            return formatError(wire);
        }
        Message response = respond(query);
        if (response == null) {
            return null;
        }
        OPTRecord opt = query.getOPT();
        int limit = opt == null ? MIN_UDP_PAYLOAD : Math.clamp(opt.getPayloadSize(), MIN_UDP_PAYLOAD, MAX_UDP_PAYLOAD);
        return fit(response, limit);
    }

    /**
     * The response in at most {@code limit} bytes. When it does not fit, TC is set and the
     * answer keeps as many records as fit, as CoreDNS does (dnsjava's own truncation would drop
     * the whole RRset): clients that ignore TC, like musl before 1.2.4, still get addresses.
     */
    static byte[] fit(Message response, int limit) {
        byte[] whole = response.toWire();
        if (whole.length <= limit) {
            return whole;
        }
        List<Record> answers = response.getSection(Section.ANSWER);
        OPTRecord opt = response.getOPT();
        int low = 0;
        int high = answers.size();
        byte[] best = truncated(response, answers, 0, opt).toWire();
        while (low < high) {
            int middle = (low + high + 1) / 2;
            byte[] wire = truncated(response, answers, middle, opt).toWire();
            if (wire.length <= limit) {
                low = middle;
                best = wire;
            } else {
                high = middle - 1;
            }
        }
        return best;
    }

    private static Message truncated(Message response, List<Record> answers, int keep, OPTRecord opt) {
        Message copy = response.clone();
        copy.removeAllRecords(Section.ANSWER);
        copy.removeAllRecords(Section.AUTHORITY);
        copy.removeAllRecords(Section.ADDITIONAL);
        copy.getHeader().setFlag(Flags.TC);
        for (int i = 0; i < keep; i++) {
            copy.addRecord(answers.get(i), Section.ANSWER);
        }
        if (opt != null) {
            copy.addRecord(opt, Section.ADDITIONAL);
        }
        return copy;
    }

    byte[] answerTcp(byte[] wire) {
        Message query = parse(wire);
        if (query == null) {
            return formatError(wire);
        }
        Message response = respond(query);
        return response == null ? null : fit(response, MAX_TCP_MESSAGE);
    }

    /** The response to a parsed query; null when it deserves none. */
    Message respond(Message query) {
        Header header = query.getHeader();
        if (header.getFlag(Flags.QR)) {
            return null;
        }
        Record question = query.getQuestion();
        if (header.getOpcode() != Opcode.QUERY) {
            return reply(query, Rcode.NOTIMP);
        }
        if (question == null || query.getSection(Section.QUESTION).size() != 1) {
            return reply(query, Rcode.FORMERR);
        }
        Name qname = question.getName();
        int qtype = question.getType();
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            return records.inZone(qname) ? reply(query, Rcode.REFUSED) : forward(query);
        }
        Lookup lookup = records.lookup(qname, qtype);
        Message response = reply(query, Rcode.NOERROR);
        switch (lookup) {
            case Lookup.Answer answer -> {
                response.getHeader().setFlag(Flags.AA);
                answer.answers().forEach(r -> response.addRecord(r, Section.ANSWER));
                answer.additional().forEach(r -> response.addRecord(r, Section.ADDITIONAL));
                chaseCname(response, answer.answers(), qtype);
            }
            case Lookup.NoData noData -> negative(response, Rcode.NOERROR);
            case Lookup.NxDomain nxDomain -> negative(response, Rcode.NXDOMAIN);
            case Lookup.NotReady notReady -> response.getHeader().setRcode(Rcode.SERVFAIL);
            case Lookup.Elsewhere elsewhere -> {
                return forward(query);
            }
        }
        return response;
    }

    private void negative(Message response, int rcode) {
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setRcode(rcode);
        response.addRecord(records.soa(), Section.AUTHORITY);
    }

    /**
     * An ExternalName Service answers with a CNAME; like CoreDNS, add the target's own records
     * so that stub resolvers, which do not chase CNAMEs themselves, get an address.
     */
    private void chaseCname(Message response, List<Record> answers, int qtype) {
        if (qtype == Type.CNAME || qtype == Type.ANY) {
            return;
        }
        Record last = answers.isEmpty() ? null : answers.getLast();
        for (int depth = 0; depth < MAX_CNAME_CHAIN && last instanceof CNAMERecord cname; depth++) {
            Name target = cname.getTarget();
            List<Record> next;
            if (records.inZone(target)) {
                next = records.lookup(target, qtype) instanceof Lookup.Answer more ? more.answers() : List.of();
            } else {
                next = resolveOutside(target, qtype);
            }
            next.forEach(r -> response.addRecord(r, Section.ANSWER));
            last = next.isEmpty() ? null : next.getLast();
            if (!records.inZone(target)) {
                // the upstream resolver has already followed the rest of the chain
                break;
            }
        }
    }

    private List<Record> resolveOutside(Name target, int qtype) {
        Message query = Message.newQuery(Record.newRecord(target, qtype, DClass.IN));
        try {
            Message upstream = forwarder.forward(query);
            return upstream.getRcode() == Rcode.NOERROR ? upstream.getSection(Section.ANSWER) : List.of();
        } catch (IOException e) {
            log.debug("cannot resolve CNAME target name={} cause={}", target, e.toString());
            return List.of();
        }
    }

    private Message forward(Message query) {
        try {
            Message upstream = forwarder.forward(query);
            upstream.getHeader().setID(query.getHeader().getID());
            // the EDNS record is per hop: drop upstream's, offer ours if the client spoke EDNS
            List<Record> additional = upstream.getSection(Section.ADDITIONAL);
            upstream.removeAllRecords(Section.ADDITIONAL);
            for (Record record : additional) {
                if (record.getType() != Type.OPT) {
                    upstream.addRecord(record, Section.ADDITIONAL);
                }
            }
            if (query.getOPT() != null) {
                upstream.addRecord(ourOpt(), Section.ADDITIONAL);
            }
            return upstream;
        } catch (IOException e) {
            log.debug("forwarding failed name={} cause={}", query.getQuestion().getName(), e.toString());
            return reply(query, Rcode.SERVFAIL);
        }
    }

    /** A response carrying the question, the client's ID and RD, recursion available. */
    private static Message reply(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setFlag(Flags.RA);
        header.setRcode(rcode);
        Record question = query.getQuestion();
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        if (query.getOPT() != null) {
            response.addRecord(ourOpt(), Section.ADDITIONAL);
        }
        return response;
    }

    private static OPTRecord ourOpt() {
        return new OPTRecord(MAX_UDP_PAYLOAD, 0, 0);
    }

    private static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (IOException malformed) {
            return null;
        }
    }

    /** FORMERR with the query's ID for garbage that at least has a header; silence otherwise. */
    private static byte[] formatError(byte[] wire) {
        if (wire.length < Header.LENGTH) {
            return null;
        }
        int id = ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
        if ((wire[2] & 0x80) != 0) {
            return null;
        }
        Message response = new Message(id);
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setRcode(Rcode.FORMERR);
        return response.toWire();
    }
}
