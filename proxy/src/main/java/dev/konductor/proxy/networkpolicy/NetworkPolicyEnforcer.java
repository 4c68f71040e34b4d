package dev.konductor.proxy.networkpolicy;

import dev.konductor.proxy.CoalescingSync;
import dev.konductor.proxy.nftables.CommandRunner;
import dev.konductor.proxy.nftables.NftRuleset;
import dev.konductor.proxy.nftables.NftTable;
import dev.konductor.proxy.nftables.ProcessCommandRunner;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces NetworkPolicies on one node: informers on NetworkPolicies, Pods and Namespaces
 * (through the API server, like any remote component) feed a {@link DesiredPolicies}, whose
 * model is rendered ({@link PolicyRenderer}) into one nftables table and applied atomically.
 * Changes are coalesced: at most one sync per {@link NetworkPolicySettings#minSyncInterval()},
 * and a sync always follows the last change.
 *
 * <p>Nothing is installed before all three caches have their first list: rules for a
 * half-listed cluster would isolate pods without the policies that allow their traffic.
 */
public final class NetworkPolicyEnforcer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetworkPolicyEnforcer.class);
    static final Duration CACHE_SYNC_TIMEOUT = Duration.ofSeconds(10);
    static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final NetworkPolicySettings settings;
    private final DesiredPolicies desiredPolicies;
    private final PolicyRenderer renderer;
    private final NftTable table;
    private final BridgeNetfilter bridgeNetfilter;
    private final SharedIndexInformer<NetworkPolicy> policies;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Namespace> namespaces;
    private final CoalescingSync sync;
    private volatile PolicyModel lastModel;
    private volatile BridgeNetfilter.State bridgeState;

    /** An enforcer that runs {@code nft} and {@code sysctl} on this host. */
    public NetworkPolicyEnforcer(KubernetesClient client, NetworkPolicySettings settings) {
        this(client, settings, new ProcessCommandRunner(Duration.ofSeconds(30)));
    }

    /** An enforcer that runs its commands through {@code runner} (e.g. in another network namespace). */
    public NetworkPolicyEnforcer(KubernetesClient client, NetworkPolicySettings settings, CommandRunner runner) {
        this.settings = settings;
        this.desiredPolicies = new DesiredPolicies(settings.nodeName());
        this.renderer = new PolicyRenderer(settings.table());
        this.table = new NftTable(PolicyRenderer.FAMILY, settings.table(), runner);
        this.bridgeNetfilter = new BridgeNetfilter(runner);
        this.policies = client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0);
        this.pods = client.pods().inAnyNamespace().runnableInformer(0);
        this.namespaces = client.namespaces().runnableInformer(0);
        this.sync = new CoalescingSync("network-policy-sync", settings.minSyncInterval(), RETRY_DELAY,
                settings.resyncInterval(), this::syncOnce);
    }

    /**
     * Turns bridge netfilter on (when the settings ask), starts the informers and waits a bounded
     * time for their first lists; the first sync follows as soon as all three have arrived.
     */
    public void start() throws InterruptedException {
        if (settings.bridgeNetfilter()) {
            bridgeState = bridgeNetfilter.ensure();
        }
        policies.addEventHandler(sync.onEveryChange());
        pods.addEventHandler(sync.onEveryChange());
        namespaces.addEventHandler(sync.onEveryChange());
        sync.start();
        CompletableFuture<Void> all = CompletableFuture.allOf(policies.start().toCompletableFuture(),
                pods.start().toCompletableFuture(), namespaces.start().toCompletableFuture());
        all.thenRun(sync::request);
        try {
            all.get(CACHE_SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException notYet) {
            log.warn("network policy caches not synced yet; rules follow once they are timeoutSeconds={}",
                    CACHE_SYNC_TIMEOUT.toSeconds());
        }
        log.info("network policy enforcement started node={} table=inet/{} bridgeNetfilter={}", settings.nodeName(),
                settings.table(), bridgeState == null ? "not managed" : bridgeState);
    }

    /** Ready once the rules for the cluster as first listed have been applied. */
    public boolean ready() {
        return lastModel != null;
    }

    /** The model applied by the last successful sync (null before the first). */
    public PolicyModel lastModel() {
        return lastModel;
    }

    /** The ruleset the kernel holds (null before the first sync). */
    public NftRuleset appliedRuleset() {
        return table.applied();
    }

    /** How bridge netfilter was found at start; null when the settings leave it alone. */
    public BridgeNetfilter.State bridgeNetfilterState() {
        return bridgeState;
    }

    private void syncOnce() throws IOException, InterruptedException {
        if (!policies.hasSynced() || !pods.hasSynced() || !namespaces.hasSynced()) {
            return;
        }
        PolicyModel model = desiredPolicies.compute(policies.getStore().list(), pods.getStore().list(),
                namespaces.getStore().list());
        long started = System.nanoTime();
        table.apply(renderer.render(model));
        if (!model.equals(lastModel)) {
            log.debug("network policies synced isolatedPods={} millis={}", model.pods().size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        lastModel = model;
    }

    /**
     * Stops syncing and removes the table: from then on the node filters nothing, as when its
     * network agent is gone.
     */
    @Override
    public void close() {
        sync.close();
        policies.close();
        pods.close();
        namespaces.close();
        try {
            table.delete();
        } catch (IOException e) {
            log.warn("cannot delete the network policy table table={} error={}", settings.table(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("network policy enforcement stopped node={}", settings.nodeName());
    }
}
