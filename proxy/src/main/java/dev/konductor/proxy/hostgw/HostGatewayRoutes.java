package dev.konductor.proxy.hostgw;

import dev.konductor.proxy.CoalescingSync;
import dev.konductor.proxy.model.Cidr;
import dev.konductor.proxy.nftables.CommandRunner;
import dev.konductor.proxy.nftables.ProcessCommandRunner;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's share of a host-gw pod network, like flannel's host-gw backend: an informer on Nodes
 * (through the API server) keeps one kernel route per other node, its pod CIDR via its
 * InternalIP, following nodes as they join, change address or range, and leave. The nodes must
 * share a link (each InternalIP a direct neighbour); a route the kernel refuses is logged and
 * retried. Packets keep their pod addresses end to end: nothing is masqueraded here.
 * {@link #close()} removes every route it made.
 */
public final class HostGatewayRoutes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HostGatewayRoutes.class);
    static final Duration MIN_SYNC_INTERVAL = Duration.ofMillis(100);
    static final Duration RETRY_DELAY = Duration.ofSeconds(2);
    static final Duration RESYNC_INTERVAL = Duration.ofSeconds(30);

    private final String nodeName;
    private final Cidr clusterCidr;
    private final KernelRoutes kernel;
    private final SharedIndexInformer<Node> nodes;
    private final CoalescingSync sync;
    private volatile boolean synced;

    public HostGatewayRoutes(KubernetesClient client, String nodeName, Cidr clusterCidr) {
        this(client, nodeName, clusterCidr, new ProcessCommandRunner(Duration.ofSeconds(10)));
    }

    HostGatewayRoutes(KubernetesClient client, String nodeName, Cidr clusterCidr, CommandRunner runner) {
        if (!clusterCidr.isIpv4()) {
            throw new IllegalArgumentException("host-gw routes need an IPv4 cluster CIDR: " + clusterCidr);
        }
        this.nodeName = nodeName;
        this.clusterCidr = clusterCidr;
        this.kernel = new KernelRoutes(runner, clusterCidr);
        this.nodes = client.nodes().runnableInformer(0);
        this.sync = new CoalescingSync("host-gw-routes", MIN_SYNC_INTERVAL, RETRY_DELAY, RESYNC_INTERVAL, this::syncOnce);
    }

    public void start() {
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                sync.request();
            }

            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                if (!sameRouting(oldNode, newNode)) {
                    sync.request();
                }
            }

            @Override
            public void onDelete(Node node, boolean deletedFinalStateUnknown) {
                sync.request();
            }
        });
        sync.start();
        nodes.start().thenRun(sync::request);
        log.info("host-gw routes started node={} clusterCidr={}", nodeName, clusterCidr);
    }

    /** Whether the routes for the cluster as first listed are in place. */
    public boolean ready() {
        return synced;
    }

    private void syncOnce() throws IOException, InterruptedException {
        if (!nodes.hasSynced()) {
            return; // deleting the routes of nodes not listed yet would cut pods off
        }
        Map<String, String> desired = RoutePlan.desired(nodes.getStore().list(), nodeName, clusterCidr);
        RoutePlan.Changes changes = RoutePlan.diff(kernel.current(), desired);
        IOException failed = null;
        for (RoutePlan.Route route : changes.replace()) {
            try {
                kernel.replace(route);
                log.info("route added destination={} via={}", route.destination(), route.gateway());
            } catch (IOException e) {
                failed = e; // one unreachable gateway must not keep the other nodes' routes out
                log.warn("cannot route destination={} via={}: {}", route.destination(), route.gateway(), e.getMessage());
            }
        }
        for (String destination : changes.delete()) {
            kernel.delete(destination);
            log.info("route removed destination={}", destination);
        }
        if (failed != null) {
            throw failed;
        }
        synced = true;
    }

    private static boolean sameRouting(Node a, Node b) {
        return Objects.equals(a.getSpec() == null ? null : a.getSpec().getPodCIDR(),
                b.getSpec() == null ? null : b.getSpec().getPodCIDR())
                && Objects.equals(a.getStatus() == null ? null : a.getStatus().getAddresses(),
                b.getStatus() == null ? null : b.getStatus().getAddresses());
    }

    /** Stops following the nodes and removes every route this node holds for them. */
    @Override
    public void close() {
        sync.close();
        nodes.close();
        try {
            for (String destination : kernel.current().keySet()) {
                kernel.delete(destination);
            }
        } catch (IOException e) {
            log.warn("cannot remove the host-gw routes: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("host-gw routes stopped node={}", nodeName);
    }
}
