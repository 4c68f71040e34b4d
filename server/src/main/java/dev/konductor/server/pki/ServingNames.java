package dev.konductor.server.pki;

import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The subject alternative names of the API serving certificate: every name and address a client
 * may use to reach the API server. A client that dials a name missing here fails TLS
 * verification, so the set is generous, and the certificate is reissued when it changes (a new
 * interface address, another service CIDR).
 */
public record ServingNames(Set<String> dnsNames, Set<InetAddress> ipAddresses) {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    /** The in-cluster names of the {@code kubernetes} Service in the default namespace. */
    private static final List<String> CLUSTER_NAMES = List.of(
            "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

    public ServingNames {
        dnsNames = Set.copyOf(dnsNames);
        ipAddresses = Set.copyOf(ipAddresses);
    }

    /**
     * The names the API server answers to on this host: loopback and {@code localhost}, the
     * {@code kubernetes} Service's DNS names and ClusterIP (the first address of the service
     * CIDR), the host name and all its interface addresses, and any {@code extra} address (the
     * advertised one).
     */
    public static ServingNames forApiServer(HostAddresses host, Cidr serviceCidr, Collection<InetAddress> extra) {
        Set<String> dns = new HashSet<>(CLUSTER_NAMES);
        dns.add("localhost");
        dns.add(host.hostname());
        Set<InetAddress> ips = new HashSet<>(host.addresses());
        ips.add(InetAddress.ofLiteral("127.0.0.1"));
        ips.add(InetAddress.ofLiteral("::1"));
        ips.add(serviceCidr.firstHost());
        ips.addAll(extra);
        return new ServingNames(dns, ips);
    }

    /** The names a certificate carries. */
    public static ServingNames of(X509Certificate certificate) {
        Set<String> dns = new HashSet<>();
        Set<InetAddress> ips = new HashSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            for (List<?> name : names == null ? List.<List<?>>of() : names) {
                int type = (Integer) name.get(0);
                if (type == SAN_DNS) {
                    dns.add((String) name.get(1));
                } else if (type == SAN_IP) {
                    ips.add(InetAddress.ofLiteral((String) name.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subject alternative names in "
                    + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
        return new ServingNames(dns, ips);
    }
}
