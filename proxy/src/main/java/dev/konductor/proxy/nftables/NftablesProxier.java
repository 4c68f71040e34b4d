package dev.konductor.proxy.nftables;

import dev.konductor.proxy.Proxier;
import dev.konductor.proxy.model.ProxyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel proxy: keeps one nftables table (see {@link NftRenderer}) in step with the model,
 * each change applied atomically with {@code nft -f}, and the service CIDR routed to a
 * discarding link. {@link #close()} removes both.
 */
public final class NftablesProxier implements Proxier {

    private static final Logger log = LoggerFactory.getLogger(NftablesProxier.class);

    private final NftConfig config;
    private final NftRenderer renderer;
    private final ServiceCidrRoute route;
    private final CommandRunner runner;
    private NftRuleset applied; // what the kernel holds; null when unknown. Guarded by this.

    public NftablesProxier(NftConfig config, String serviceLink, CommandRunner runner) {
        this.config = config;
        this.renderer = new NftRenderer(config);
        this.route = new ServiceCidrRoute(runner, serviceLink, config.serviceCidr());
        this.runner = runner;
    }

    /**
     * Installs the rules for no Services first (so unallocated ClusterIPs are rejected from the
     * start), then routes the service CIDR to the discarding link.
     */
    @Override
    public synchronized void start() throws IOException, InterruptedException {
        warnIfNotForwarding();
        sync(ProxyModel.EMPTY);
        route.install();
    }

    @Override
    public synchronized void sync(ProxyModel model) throws IOException, InterruptedException {
        NftRuleset desired = renderer.render(model);
        if (desired.equals(applied)) {
            return;
        }
        if (applied != null) {
            CommandRunner.Result result = runner.run(List.of("nft", "-f", "-"), NftScript.update(applied, desired));
            if (result.ok()) {
                applied = desired;
                return;
            }
            // someone changed the table behind our back, or an update we did not foresee: start afresh
            log.warn("nft update failed, replacing the table table={} error={}", config.table(), result.stderr().strip());
            applied = null;
        }
        runner.check(List.of("nft", "-f", "-"), NftScript.replace(desired));
        applied = desired;
    }

    /** The ruleset last applied, for tests and diagnostics. */
    public synchronized NftRuleset applied() {
        return applied;
    }

    @Override
    public synchronized void close() {
        // rules first: until the link goes, stray ClusterIP packets still die on it
        try {
            runner.check(List.of("nft", "-f", "-"), NftScript.delete(config.family(), config.table()));
        } catch (IOException e) {
            log.warn("cannot delete the nftables table table={} error={}", config.table(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            route.remove();
        } catch (IOException e) {
            log.warn("cannot remove the service CIDR route error={}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        applied = null;
    }

    private void warnIfNotForwarding() {
        Path forwarding = Path.of(config.ipv4() ? "/proc/sys/net/ipv4/ip_forward" : "/proc/sys/net/ipv6/conf/all/forwarding");
        try {
            if (Files.exists(forwarding) && Files.readString(forwarding).strip().equals("0")) {
                log.warn("IP forwarding is off: pods cannot reach Services through this node ({}=0)", forwarding);
            }
        } catch (IOException ignored) {
            // only a diagnostic
        }
    }
}
