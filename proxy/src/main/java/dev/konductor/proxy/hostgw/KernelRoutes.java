package dev.konductor.proxy.hostgw;

import dev.konductor.proxy.model.Cidr;
import dev.konductor.proxy.nftables.CommandRunner;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host-gw routes in the kernel's main table, told apart from everyone else's by their
 * protocol number ({@link #PROTOCOL}) and by lying inside the cluster CIDR: what a crashed run
 * left is found and adopted, and nothing another program routed is ever touched.
 */
final class KernelRoutes {

    /** The {@code proto} of our routes; an unassigned number in iproute2's rt_protos. */
    static final String PROTOCOL = "74";

    private final CommandRunner runner;
    private final Cidr clusterCidr;

    KernelRoutes(CommandRunner runner, Cidr clusterCidr) {
        this.runner = runner;
        this.clusterCidr = clusterCidr;
    }

    /** Destination to gateway of our routes now in the kernel. */
    Map<String, String> current() throws IOException, InterruptedException {
        CommandRunner.Result listed = runner.check(List.of("ip", "-4", "-o", "route", "show", "proto", PROTOCOL,
                "root", clusterCidr.toString()), "");
        return parse(listed.stdout());
    }

    /** Parses {@code ip -o route show} lines such as {@code 10.244.1.0/24 via 192.0.2.3 dev eth0}. */
    static Map<String, String> parse(String output) {
        Map<String, String> routes = new TreeMap<>();
        for (String line : output.split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 1; i + 1 < words.length; i++) {
                if (words[i].equals("via")) {
                    String destination = words[0].contains("/") ? words[0] : words[0] + "/32";
                    routes.put(destination, words[i + 1]);
                    break;
                }
            }
        }
        return routes;
    }

    void replace(RoutePlan.Route route) throws IOException, InterruptedException {
        runner.check(List.of("ip", "-4", "route", "replace", route.destination(), "via", route.gateway(),
                "proto", PROTOCOL), "");
    }

    void delete(String destination) throws IOException, InterruptedException {
        CommandRunner.Result deleted = runner.run(List.of("ip", "-4", "route", "del", destination, "proto", PROTOCOL), "");
        if (!deleted.ok() && !deleted.stderr().contains("No such process")) {
            throw new IOException("cannot delete route " + destination + ": " + deleted.stderr().strip());
        }
    }
}
