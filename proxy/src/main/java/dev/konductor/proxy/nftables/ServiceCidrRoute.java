package dev.konductor.proxy.nftables;

import dev.konductor.proxy.model.Cidr;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the service CIDR to a local link that discards whatever it is given, so that a packet to
 * a ClusterIP can never follow the default route off the machine: traffic to a real ClusterIP is
 * DNATed before it gets there, and the rest is rejected in nftables first.
 *
 * <p>The link is a {@code dummy} device; on kernels built without the dummy driver it is an
 * {@code ifb} device, which likewise drops every packet not redirected to it by tc. A blackhole
 * route would not do: it makes connect() to real ClusterIPs fail (EINVAL) before DNAT can run.
 */
final class ServiceCidrRoute {

    private static final Logger log = LoggerFactory.getLogger(ServiceCidrRoute.class);

    private final CommandRunner runner;
    private final String link;
    private final Cidr cidr;
    private volatile boolean installed;

    ServiceCidrRoute(CommandRunner runner, String link, Cidr cidr) {
        if (!link.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("not a link name (at most 15 characters): " + link);
        }
        this.runner = runner;
        this.link = link;
        this.cidr = cidr;
    }

    /** Creates the link (or adopts one of this name left by a crashed run), brings it up and routes the CIDR to it. */
    void install() throws IOException, InterruptedException {
        String kind = "dummy";
        CommandRunner.Result added = runner.run(List.of("ip", "link", "add", link, "type", kind), "");
        if (!added.ok() && added.stderr().contains("Unknown device type")) {
            kind = "ifb";
            added = runner.run(List.of("ip", "link", "add", link, "type", kind), "");
        }
        if (!added.ok() && !added.stderr().contains("File exists")) {
            throw new IOException("cannot create link " + link + ": " + added.stderr().strip());
        }
        installed = true;
        runner.check(List.of("ip", "link", "set", link, "up"), "");
        runner.check(List.of("ip", cidr.isIpv4() ? "-4" : "-6", "route", "replace", cidr.toString(), "dev", link), "");
        log.info("service CIDR routed to a discarding link cidr={} link={} kind={}", cidr, link, kind);
    }

    /** Deletes the link, and with it the route. */
    void remove() throws IOException, InterruptedException {
        if (!installed) {
            return;
        }
        CommandRunner.Result deleted = runner.run(List.of("ip", "link", "del", link), "");
        if (!deleted.ok() && !deleted.stderr().contains("Cannot find device")) {
            throw new IOException("cannot delete link " + link + ": " + deleted.stderr().strip());
        }
        installed = false;
    }
}
