package dev.konductor.proxy;

import dev.konductor.proxy.model.DesiredState;
import dev.konductor.proxy.model.ProxyModel;
import dev.konductor.proxy.nftables.NftConfig;
import dev.konductor.proxy.nftables.NftablesProxier;
import dev.konductor.proxy.nftables.ProcessCommandRunner;
import dev.konductor.proxy.userspace.UserspaceProxier;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
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
 * The service proxy of one node: informers on Services and EndpointSlices (through the API
 * server, like any remote component) feed a {@link DesiredState}, and a {@link Proxier} makes
 * the node forward accordingly. Changes are coalesced: at most one sync per
 * {@link ProxySettings#minSyncInterval()}, and a sync always follows the last change.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceProxy.class);
    static final Duration CACHE_SYNC_TIMEOUT = Duration.ofSeconds(10);
    static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final ProxySettings settings;
    private final Proxier proxier;
    private final DesiredState desiredState;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final CoalescingSync sync;
    private volatile ProxyModel lastModel;

    /** A proxy in the settings' mode. */
    public ServiceProxy(KubernetesClient client, ProxySettings settings) {
        this(client, settings, proxierFor(settings));
    }

    public ServiceProxy(KubernetesClient client, ProxySettings settings, Proxier proxier) {
        this.settings = settings;
        this.proxier = proxier;
        this.desiredState = new DesiredState(settings.nodeName(), settings.serviceCidr().isIpv4());
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        this.sync = new CoalescingSync("service-proxy-sync", settings.minSyncInterval(), RETRY_DELAY,
                settings.resyncInterval(), this::syncOnce);
    }

    static Proxier proxierFor(ProxySettings settings) {
        return switch (settings.mode()) {
            case NFTABLES -> new NftablesProxier(new NftConfig(settings.table(), settings.serviceCidr(),
                    settings.clusterCidr(), settings.nodePortAddresses()), settings.serviceLink(),
                    new ProcessCommandRunner(Duration.ofSeconds(30)));
            case USERSPACE -> new UserspaceProxier(settings.nodePortAddresses(), Duration.ofSeconds(2));
        };
    }

    /**
     * Prepares the node (see {@link Proxier#start()}), starts the informers and waits a bounded
     * time for their first lists; the first sync follows as soon as both have arrived.
     */
    public void start() throws IOException, InterruptedException {
        proxier.start();
        services.addEventHandler(sync.onEveryChange());
        slices.addEventHandler(sync.onEveryChange());
        sync.start();
        CompletableFuture<Void> both = CompletableFuture.allOf(
                services.start().toCompletableFuture(), slices.start().toCompletableFuture());
        both.thenRun(sync::request);
        try {
            both.get(CACHE_SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException notYet) {
            log.warn("service proxy caches not synced yet; rules follow once they are timeoutSeconds={}",
                    CACHE_SYNC_TIMEOUT.toSeconds());
        }
        if (settings.mode() == ProxyMode.NFTABLES) {
            log.info("service proxy started node={} mode=nftables serviceCidr={} table=ip/{} link={}",
                    settings.nodeName(), settings.serviceCidr(), settings.table(), settings.serviceLink());
        } else {
            log.info("service proxy started node={} mode=userspace serviceCidr={}", settings.nodeName(),
                    settings.serviceCidr());
        }
    }

    /** Ready once the rules for the cluster as first listed have been applied. */
    public boolean ready() {
        return lastModel != null;
    }

    /** The model applied by the last successful sync (null before the first). */
    public ProxyModel lastModel() {
        return lastModel;
    }

    public Proxier proxier() {
        return proxier;
    }

    private void syncOnce() throws IOException, InterruptedException {
        if (!services.hasSynced() || !slices.hasSynced()) {
            return; // rules for a half-listed cluster would cut off Services that are not listed yet
        }
        ProxyModel model = desiredState.compute(services.getStore().list(), slices.getStore().list());
        long started = System.nanoTime();
        proxier.sync(model);
        if (!model.equals(lastModel)) {
            log.debug("service proxy synced ports={} millis={}", model.ports().size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        lastModel = model;
    }

    /** Stops syncing and undoes everything done to the node. */
    @Override
    public void close() {
        sync.close();
        services.close();
        slices.close();
        proxier.close();
        log.info("service proxy stopped node={}", settings.nodeName());
    }
}
