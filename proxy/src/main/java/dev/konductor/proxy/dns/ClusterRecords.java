package dev.konductor.proxy.dns;

import dev.konductor.proxy.dns.ServiceEndpoints.Endpoint;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The records of the cluster zone, after the Kubernetes DNS-based service discovery
 * specification (schema 1.1.0) and CoreDNS's kubernetes plugin:
 *
 * <ul>
 *   <li>{@code <svc>.<ns>.svc.<zone>}: A/AAAA of the ClusterIPs; for a headless Service, of its
 *       published endpoints; for an ExternalName Service, a CNAME.
 *   <li>{@code <endpoint>.<svc>.<ns>.svc.<zone>}: A/AAAA of that endpoint, named by its hostname
 *       or its dashed address.
 *   <li>{@code _<port>._<proto>.<svc>.<ns>.svc.<zone>}: SRV per named port (per endpoint for a
 *       headless Service), with the targets' addresses in the additional section.
 *   <li>{@code <a-b-c-d>.<ns>.pod.<zone>}: A/AAAA of the address, see {@link PodRecords}.
 *   <li>PTR for ClusterIPs and published endpoint addresses; other reverse names are not ours.
 *   <li>{@code dns-version.<zone>} TXT, the SOA and NS at the apex, {@code ns.dns.<zone>} at the
 *       kube-dns Service's address.
 * </ul>
 * A name that exists without the asked type gets NODATA; any other name in the zone NXDOMAIN.
 * Names are compared case-insensitively; answers keep the question's spelling.
 */
final class ClusterRecords {

    static final String SCHEMA_VERSION = "1.1.0";
    private static final int SRV_PRIORITY = 0;

    private final Name zone;
    private final long ttl;
    private final PodRecords podRecords;
    private final ClusterState state;
    private final SOARecord soa;

    ClusterRecords(Name zone, long ttlSeconds, PodRecords podRecords, ClusterState state, long serial) {
        if (!zone.isAbsolute()) {
            throw new IllegalArgumentException("cluster domain must be absolute: " + zone);
        }
        this.zone = zone;
        this.ttl = ttlSeconds;
        this.podRecords = podRecords;
        this.state = state;
        // refresh, retry and expire as CoreDNS's; the negative-caching minimum follows the TTL
        this.soa = new SOARecord(zone, DClass.IN, ttl, name("ns.dns"), name("hostmaster"), serial, 7200, 1800, 86400, ttl);
    }

    Name zone() {
        return zone;
    }

    /** The zone's SOA, for the authority section of negative answers. */
    SOARecord soa() {
        return soa;
    }

    boolean inZone(Name name) {
        return name.subdomain(zone);
    }

    Lookup lookup(Name qname, int qtype) {
        if (inZone(qname)) {
            return state.synced() ? inZone(qname, qtype, labelsBelowZone(qname)) : Lookup.NOT_READY;
        }
        if (qtype == Type.PTR && IpAddresses.isReverseName(qname) && state.synced()) {
            Optional<InetAddress> ip = IpAddresses.fromReverseName(qname);
            if (ip.isPresent()) {
                List<Record> ptrs = pointers(qname, ip.get());
                if (!ptrs.isEmpty()) {
                    return new Lookup.Answer(ptrs);
                }
            }
        }
        // CoreDNS falls through to the forwarder for reverse names it does not know
        return Lookup.ELSEWHERE;
    }

    /** The labels below the zone, nearest the zone first: {@code web.shop.svc} gives [svc, shop, web]. */
    private List<String> labelsBelowZone(Name qname) {
        int below = qname.labels() - zone.labels();
        List<String> labels = new ArrayList<>(below);
        for (int i = below - 1; i >= 0; i--) {
            labels.add(qname.getLabelString(i).toLowerCase(Locale.ROOT));
        }
        return labels;
    }

    private Lookup inZone(Name qname, int qtype, List<String> labels) {
        if (labels.isEmpty()) {
            return switch (qtype) {
                case Type.SOA -> new Lookup.Answer(List.of(soa.withName(qname)));
                case Type.NS -> new Lookup.Answer(List.of(new NSRecord(qname, DClass.IN, ttl, name("ns.dns"))));
                default -> Lookup.NO_DATA;
            };
        }
        return switch (labels.getFirst()) {
            case "svc" -> services(qname, qtype, labels);
            case "pod" -> pods(qname, qtype, labels);
            case "dns" -> nameserver(qname, qtype, labels);
            case "dns-version" -> labels.size() > 1 ? Lookup.NX_DOMAIN
                    : typeMatches(qtype, Type.TXT) ? new Lookup.Answer(List.of(new TXTRecord(qname, DClass.IN, ttl, SCHEMA_VERSION)))
                    : Lookup.NO_DATA;
            default -> Lookup.NX_DOMAIN;
        };
    }

    private Lookup services(Name qname, int qtype, List<String> labels) {
        if (labels.size() == 1) {
            return Lookup.NO_DATA;
        }
        String namespace = labels.get(1);
        if (labels.size() == 2) {
            return state.hasServices(namespace) ? Lookup.NO_DATA : Lookup.NX_DOMAIN;
        }
        Optional<Service> found = state.service(namespace, labels.get(2));
        if (found.isEmpty()) {
            return Lookup.NX_DOMAIN;
        }
        Service service = found.get();
        return switch (labels.size()) {
            case 3 -> service(qname, qtype, service);
            case 4 -> labels.get(3).startsWith("_")
                    ? (servicePorts(service, null, labels.get(3).substring(1)).isEmpty() ? Lookup.NX_DOMAIN : Lookup.NO_DATA)
                    : endpoint(qname, qtype, service, labels.get(3));
            case 5 -> labels.get(3).startsWith("_") && labels.get(4).startsWith("_")
                    ? srv(qname, qtype, service, labels.get(4).substring(1), labels.get(3).substring(1))
                    : Lookup.NX_DOMAIN;
            default -> Lookup.NX_DOMAIN;
        };
    }

    private Lookup service(Name qname, int qtype, Service service) {
        if (isExternalName(service)) {
            return externalName(qname, service);
        }
        List<InetAddress> addresses = new ArrayList<>();
        if (isHeadless(service)) {
            for (Endpoint endpoint : endpoints(service)) {
                addresses.add(endpoint.ip());
            }
        } else {
            addresses.addAll(clusterIps(service));
        }
        return addressAnswer(qname, qtype, addresses);
    }

    private Lookup externalName(Name qname, Service service) {
        try {
            Name target = Name.fromString(service.getSpec().getExternalName(), Name.root);
            return new Lookup.Answer(List.of(new CNAMERecord(qname, DClass.IN, ttl, target)));
        } catch (TextParseException invalidName) {
            return Lookup.NO_DATA;
        }
    }

    private Lookup endpoint(Name qname, int qtype, Service service, String label) {
        if (isExternalName(service)) {
            return Lookup.NX_DOMAIN;
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (Endpoint endpoint : endpoints(service)) {
            if (endpoint.label().equals(label)) {
                addresses.add(endpoint.ip());
            }
        }
        return addresses.isEmpty() ? Lookup.NX_DOMAIN : addressAnswer(qname, qtype, addresses);
    }

    private Lookup srv(Name qname, int qtype, Service service, String portName, String protocol) {
        if (isExternalName(service)) {
            return Lookup.NX_DOMAIN;
        }
        List<ServicePort> ports = servicePorts(service, portName, protocol);
        if (ports.isEmpty()) {
            return Lookup.NX_DOMAIN;
        }
        if (!typeMatches(qtype, Type.SRV)) {
            return Lookup.NO_DATA;
        }
        Name serviceName = serviceName(service);
        List<Record> answers = new ArrayList<>();
        List<Record> additional = new ArrayList<>();
        if (!isHeadless(service)) {
            for (ServicePort port : ports) {
                answers.add(new SRVRecord(qname, DClass.IN, ttl, SRV_PRIORITY, 100, port.getPort(), serviceName));
            }
            additional.addAll(addressRecords(serviceName, Type.ANY, clusterIps(service)));
            return new Lookup.Answer(answers, additional);
        }
        List<Endpoint> serving = new ArrayList<>();
        for (Endpoint endpoint : endpoints(service)) {
            if (endpoint.port(portName, protocol).isPresent()) {
                serving.add(endpoint);
            }
        }
        // equal shares, as CoreDNS gives them
        int weight = serving.isEmpty() ? 0 : Math.max(1, 100 / serving.size());
        for (Endpoint endpoint : serving) {
            EndpointPort port = endpoint.port(portName, protocol).orElseThrow();
            Name target = child(endpoint.label(), serviceName);
            answers.add(new SRVRecord(qname, DClass.IN, ttl, SRV_PRIORITY, weight, port.getPort(), target));
            additional.addAll(addressRecords(target, Type.ANY, List.of(endpoint.ip())));
        }
        return answers.isEmpty() ? Lookup.NO_DATA : new Lookup.Answer(answers, additional);
    }

    private Lookup pods(Name qname, int qtype, List<String> labels) {
        if (podRecords == PodRecords.DISABLED) {
            return Lookup.NX_DOMAIN;
        }
        return switch (labels.size()) {
            case 1, 2 -> Lookup.NO_DATA;
            case 3 -> IpAddresses.fromDashed(labels.get(2))
                    .map(ip -> addressAnswer(qname, qtype, List.of(ip)))
                    .orElse(Lookup.NX_DOMAIN);
            default -> Lookup.NX_DOMAIN;
        };
    }

    /** {@code ns.dns.<zone>}, the name the SOA and NS records give: the kube-dns Service's address. */
    private Lookup nameserver(Name qname, int qtype, List<String> labels) {
        if (labels.size() == 1) {
            return Lookup.NO_DATA;
        }
        if (labels.size() == 2 && labels.get(1).equals("ns")) {
            List<InetAddress> addresses = state.service("kube-system", "kube-dns").map(this::clusterIps).orElse(List.of());
            return addressAnswer(qname, qtype, addresses);
        }
        return Lookup.NX_DOMAIN;
    }

    private List<Record> pointers(Name qname, InetAddress ip) {
        String key = IpAddresses.key(ip);
        Set<Name> targets = new LinkedHashSet<>();
        for (Service service : state.servicesWithClusterIp(key)) {
            targets.add(serviceName(service));
        }
        for (EndpointSlice slice : state.endpointSlicesWithAddress(key)) {
            String serviceName = slice.getMetadata().getLabels() == null ? null
                    : slice.getMetadata().getLabels().get(ServiceEndpoints.SERVICE_NAME_LABEL);
            if (serviceName == null) {
                continue;
            }
            Optional<Service> service = state.service(slice.getMetadata().getNamespace(), serviceName);
            if (service.isEmpty() || isExternalName(service.get())) {
                continue;
            }
            for (Endpoint endpoint : ServiceEndpoints.published(service.get(), List.of(slice))) {
                if (IpAddresses.key(endpoint.ip()).equals(key)) {
                    targets.add(child(endpoint.label(), serviceName(service.get())));
                }
            }
        }
        List<Record> records = new ArrayList<>();
        for (Name target : targets) {
            records.add(new PTRRecord(qname, DClass.IN, ttl, target));
        }
        return records;
    }

    private Lookup addressAnswer(Name qname, int qtype, List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            return Lookup.NO_DATA;
        }
        List<Record> records = addressRecords(qname, qtype, addresses);
        return records.isEmpty() ? Lookup.NO_DATA : new Lookup.Answer(records);
    }

    /** A records for A questions, AAAA for AAAA, both for ANY. */
    private List<Record> addressRecords(Name owner, int qtype, List<InetAddress> addresses) {
        List<Record> records = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (address instanceof Inet4Address && typeMatches(qtype, Type.A)) {
                records.add(new ARecord(owner, DClass.IN, ttl, address));
            } else if (address instanceof Inet6Address && typeMatches(qtype, Type.AAAA)) {
                records.add(new AAAARecord(owner, DClass.IN, ttl, address));
            }
        }
        return records;
    }

    private List<Endpoint> endpoints(Service service) {
        var meta = service.getMetadata();
        return ServiceEndpoints.published(service, state.endpointSlices(meta.getNamespace(), meta.getName()));
    }

    private List<InetAddress> clusterIps(Service service) {
        List<String> literals = service.getSpec().getClusterIPs();
        if (literals == null || literals.isEmpty()) {
            literals = service.getSpec().getClusterIP() == null ? List.of() : List.of(service.getSpec().getClusterIP());
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String literal : literals) {
            IpAddresses.parse(literal).ifPresent(addresses::add);
        }
        return addresses;
    }

    /** The Service's ports with that name (any name when null) and protocol. */
    private static List<ServicePort> servicePorts(Service service, String name, String protocol) {
        List<ServicePort> matching = new ArrayList<>();
        if (service.getSpec().getPorts() == null) {
            return matching;
        }
        for (ServicePort port : service.getSpec().getPorts()) {
            boolean named = port.getName() != null && !port.getName().isEmpty();
            if (named && (name == null || port.getName().equalsIgnoreCase(name))
                    && ServiceEndpoints.protocolOf(port.getProtocol()).equalsIgnoreCase(protocol) && port.getPort() != null) {
                matching.add(port);
            }
        }
        return matching;
    }

    static boolean isHeadless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }

    static boolean isExternalName(Service service) {
        return "ExternalName".equals(service.getSpec().getType());
    }

    private static boolean typeMatches(int qtype, int type) {
        return qtype == type || qtype == Type.ANY;
    }

    Name serviceName(Service service) {
        return name(service.getMetadata().getName() + "." + service.getMetadata().getNamespace() + ".svc");
    }

    private Name name(String relative) {
        try {
            return Name.fromString(relative, zone);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + relative, e);
        }
    }

    private static Name child(String label, Name parent) {
        try {
            return Name.fromString(label, parent);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS label: " + label, e);
        }
    }
}
