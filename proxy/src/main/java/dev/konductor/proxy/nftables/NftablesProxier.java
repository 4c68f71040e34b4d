package dev.konductor.proxy.nftables;

import dev.konductor.proxy.Proxier;
import dev.konductor.proxy.model.ProxyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final NftTable table;

    public NftablesProxier(NftConfig config, String serviceLink, CommandRunner runner) {
        this.config = config;
        this.renderer = new NftRenderer(config);
        this.route = new ServiceCidrRoute(runner, serviceLink, config.serviceCidr());
        this.table = new NftTable(config.family(), config.table(), runner);
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
        table.apply(renderer.render(model));
    }

    /** The ruleset last applied, for tests and diagnostics. */
    public synchronized NftRuleset applied() {
        return table.applied();
    }

    @Override
    public synchronized void close() {
        // rules first: until the link goes, stray ClusterIP packets still die on it
        try {
            table.delete();
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
