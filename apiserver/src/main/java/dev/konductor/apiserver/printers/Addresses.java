package dev.konductor.apiserver.printers;

import static dev.konductor.apiserver.printers.ObjectFields.integer;
import static dev.konductor.apiserver.printers.ObjectFields.items;
import static dev.konductor.apiserver.printers.ObjectFields.present;
import static dev.konductor.apiserver.printers.ObjectFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Address lists as the ENDPOINTS, EXTERNAL-IP and ADDRESS columns show them: at most three
 * entries and {@code + N more...}, so a large service stays one line.
 */
final class Addresses {

    private static final int SHOWN = 3;

    private Addresses() {
    }

    /** Endpoints' ready addresses as {@code ip:port} per port, or bare IPs for a port-less subset. */
    static String endpoints(JsonNode endpoints) {
        List<JsonNode> subsets = items(endpoints, "subsets");
        if (subsets.isEmpty()) {
            return "<none>";
        }
        List<String> shown = new ArrayList<>();
        int count = 0;
        boolean more = false;
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = items(subset, "addresses");
            List<JsonNode> ports = items(subset, "ports");
            List<String> portSuffixes = new ArrayList<>();
            if (ports.isEmpty()) {
                portSuffixes.add(null); // headless services may have no ports
            }
            ports.forEach(p -> portSuffixes.add(Long.toString(integer(p, "port"))));
            for (String port : portSuffixes) {
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (shown.size() == SHOWN) {
                        more = true;
                        break;
                    }
                    String ip = text(address, "ip");
                    shown.add(port == null ? ip : hostPort(ip, port));
                }
            }
        }
        String joined = String.join(",", shown);
        return more ? joined + " + " + (count - SHOWN) + " more..." : joined;
    }

    /** A load balancer status's IPs (else hostnames), de-duplicated and sorted. */
    static String loadBalancer(JsonNode status) {
        TreeSet<String> addresses = new TreeSet<>();
        for (JsonNode ingress : items(status, "ingress")) {
            if (!text(ingress, "ip").isEmpty()) {
                addresses.add(text(ingress, "ip"));
            } else if (!text(ingress, "hostname").isEmpty()) {
                addresses.add(text(ingress, "hostname"));
            }
        }
        // the server renders tables as for -o wide, where upstream does not truncate this
        return String.join(",", addresses);
    }

    /** An EndpointSlice's ports: number, else name, else {@code *}. */
    static String slicePorts(JsonNode slice) {
        List<String> values = new ArrayList<>();
        for (JsonNode port : items(slice, "ports")) {
            values.add(present(port, "port") ? Long.toString(integer(port, "port"))
                    : present(port, "name") ? text(port, "name") : "*");
        }
        return atMostThree(values);
    }

    /** An EndpointSlice's addresses, all endpoints flattened. */
    static String sliceEndpoints(JsonNode slice) {
        List<String> values = new ArrayList<>();
        for (JsonNode endpoint : items(slice, "endpoints")) {
            items(endpoint, "addresses").forEach(a -> values.add(a.asText()));
        }
        return atMostThree(values);
    }

    /** Ingress rule hosts; {@code *} when no rule names a host. */
    static String ingressHosts(JsonNode ingress) {
        List<JsonNode> rules = items(ingress, "spec", "rules");
        List<String> hosts = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (hosts.size() == SHOWN) {
                more = true;
            }
            if (!more && !text(rule, "host").isEmpty()) {
                hosts.add(text(rule, "host"));
            }
        }
        if (hosts.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", hosts);
        return more ? joined + " + " + (rules.size() - SHOWN) + " more..." : joined;
    }

    private static String atMostThree(List<String> values) {
        if (values.isEmpty()) {
            return "<unset>";
        }
        String joined = String.join(",", values.subList(0, Math.min(SHOWN, values.size())));
        return values.size() > SHOWN ? joined + " + " + (values.size() - SHOWN) + " more..." : joined;
    }

    private static String hostPort(String ip, String port) {
        return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
