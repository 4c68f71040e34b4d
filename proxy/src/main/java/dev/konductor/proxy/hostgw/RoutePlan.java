package dev.konductor.proxy.hostgw;

import dev.konductor.proxy.model.Cidr;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import dev.konductor.proxy.model.IpLiterals;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The routes a node needs for a host-gw pod network (flannel's host-gw backend): every other
 * node's pod CIDR via that node's InternalIP. Only pod CIDRs inside the cluster CIDR count (a
 * simulated node's range from 198.18.0.0/15 routes nowhere), and only IPv4. Pure.
 */
public final class RoutePlan {

    /** One route: {@code destination} via {@code gateway}. */
    public record Route(String destination, String gateway) {
        public Route {
            Objects.requireNonNull(destination);
            Objects.requireNonNull(gateway);
        }
    }

    /** What to do to the kernel: routes to add or change, destinations to delete. */
    public record Changes(List<Route> replace, List<String> delete) {
        public Changes {
            replace = List.copyOf(replace);
            delete = List.copyOf(delete);
        }

        public boolean none() {
            return replace.isEmpty() && delete.isEmpty();
        }
    }

    private RoutePlan() {
    }

    /** Destination to gateway, ordered by destination, for every node but {@code self}. */
    public static Map<String, String> desired(Collection<Node> nodes, String self, Cidr clusterCidr) {
        Map<String, String> routes = new TreeMap<>();
        for (Node node : nodes) {
            if (self.equals(node.getMetadata().getName()) || node.getSpec() == null) {
                continue;
            }
            Optional<Cidr> podCidr = parse(node.getSpec().getPodCIDR()).filter(c -> inside(c, clusterCidr));
            Optional<String> gateway = internalIpv4(node);
            if (podCidr.isPresent() && gateway.isPresent()) {
                routes.put(podCidr.get().toString(), gateway.get());
            }
        }
        return routes;
    }

    /** How to get from the routes the kernel holds to the desired ones. */
    public static Changes diff(Map<String, String> current, Map<String, String> desired) {
        List<Route> replace = new ArrayList<>();
        desired.forEach((destination, gateway) -> {
            if (!gateway.equals(current.get(destination))) {
                replace.add(new Route(destination, gateway));
            }
        });
        List<String> delete = current.keySet().stream().filter(d -> !desired.containsKey(d)).sorted().toList();
        return new Changes(replace, delete);
    }

    static boolean inside(Cidr inner, Cidr outer) {
        return inner.isIpv4() == outer.isIpv4() && inner.prefixLength() >= outer.prefixLength()
                && outer.contains(inner.network());
    }

    private static Optional<String> internalIpv4(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        return node.getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress)
                .filter(RoutePlan::isIpv4Literal)
                .findFirst();
    }

    private static Optional<Cidr> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Cidr.parse(text)).filter(Cidr::isIpv4);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isIpv4Literal(String text) {
        return IpLiterals.parse(text).filter(a -> a instanceof Inet4Address).isPresent();
    }
}
