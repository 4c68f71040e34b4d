package dev.konductor.proxy.nftables;

import dev.konductor.proxy.model.Cidr;
import dev.konductor.proxy.model.IpLiterals;
import dev.konductor.proxy.model.Protocol;
import dev.konductor.proxy.model.ProxyEndpoint;
import dev.konductor.proxy.model.ProxyModel;
import dev.konductor.proxy.model.ServicePortName;
import dev.konductor.proxy.model.ServicePortRules;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Models covering every kind of rule the renderer writes. */
final class SampleModels {

    static final NftConfig CONFIG = new NftConfig("konductor", Cidr.parse("10.96.0.0/12"),
            Optional.of(Cidr.parse("10.244.0.0/16")), List.of());

    private SampleModels() {
    }

    static InetAddress ip(String literal) {
        return IpLiterals.parse(literal).orElseThrow();
    }

    static ProxyEndpoint ep(String address, int port, boolean local) {
        return new ProxyEndpoint(ip(address), port, local);
    }

    static ServicePortName name(String ns, String service, String port, Protocol protocol) {
        return new ServicePortName(ns, service, port, protocol);
    }

    /**
     * web: three endpoints, a NodePort and a load-balancer address (policy Cluster); sticky:
     * ClientIP affinity; empty: no endpoints, with a NodePort; dns: UDP; local: policy Local.
     */
    static ProxyModel full() {
        return new ProxyModel(List.of(
                new ServicePortRules(name("default", "empty", "", Protocol.TCP), ip("10.96.0.30"), 80, 30081,
                        List.of(), Optional.empty(), false, List.of(), List.of()),
                new ServicePortRules(name("default", "local", "http", Protocol.TCP), ip("10.96.0.40"), 80, 30082,
                        List.of(), Optional.empty(), true,
                        List.of(ep("10.244.0.7", 8080, true), ep("10.244.1.7", 8080, false)),
                        List.of(ep("10.244.0.7", 8080, true))),
                new ServicePortRules(name("default", "sticky", "", Protocol.TCP), ip("10.96.0.25"), 443, 0,
                        List.of(), Optional.of(Duration.ofSeconds(60)), false,
                        List.of(ep("10.244.0.5", 8443, true), ep("10.244.1.5", 8443, false)), List.of()),
                new ServicePortRules(name("default", "web", "http", Protocol.TCP), ip("10.96.0.20"), 80, 30080,
                        List.of(ip("192.0.2.2")), Optional.empty(), false,
                        List.of(ep("10.244.0.2", 8080, true), ep("10.244.0.3", 8080, true), ep("10.244.1.4", 8080, false)),
                        List.of(ep("10.244.0.2", 8080, true), ep("10.244.0.3", 8080, true), ep("10.244.1.4", 8080, false))),
                new ServicePortRules(name("kube-system", "kube-dns", "dns", Protocol.UDP), ip("10.96.0.10"), 53, 0,
                        List.of(), Optional.empty(), false, List.of(ep("10.244.1.9", 53, false)), List.of())),
                List.of(ip("10.96.0.10"), ip("10.96.0.20"), ip("10.96.0.25"), ip("10.96.0.30"), ip("10.96.0.40")));
    }

    /** {@link #full()} a moment earlier: web had a fourth endpoint, and an old Service still existed. */
    static ProxyModel earlier() {
        ProxyModel full = full();
        ServicePortRules web = full.ports().get(3);
        List<ProxyEndpoint> four = List.of(ep("10.244.0.2", 8080, true), ep("10.244.0.3", 8080, true),
                ep("10.244.1.4", 8080, false), ep("10.244.1.8", 8080, false));
        ServicePortRules olderWeb = new ServicePortRules(web.name(), web.clusterIp(), web.port(), web.nodePort(),
                web.externalIps(), web.affinityTimeout(), false, four, four);
        ServicePortRules old = new ServicePortRules(name("default", "old", "", Protocol.TCP), ip("10.96.0.99"), 80, 0,
                List.of(), Optional.empty(), false, List.of(ep("10.244.1.99", 80, false)), List.of());
        ServicePortRules sticky = full.ports().get(2);
        ServicePortRules stickier = new ServicePortRules(sticky.name(), sticky.clusterIp(), sticky.port(), 0, List.of(),
                Optional.of(Duration.ofSeconds(30)), false, sticky.clusterEndpoints(), List.of());
        return new ProxyModel(List.of(full.ports().get(0), full.ports().get(1), old, stickier, olderWeb,
                full.ports().get(4)), List.of(ip("10.96.0.10"), ip("10.96.0.20"), ip("10.96.0.25"), ip("10.96.0.30"),
                ip("10.96.0.40"), ip("10.96.0.99")));
    }
}
