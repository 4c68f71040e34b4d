package dev.konductor.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Shared informers, one per kind for all controllers of the process (each a list+watch of the
 * whole cluster, cached in memory). Informers asked for before {@link #startAll} start with it;
 * later ones start at once.
 */
public final class Informers implements AutoCloseable {

    private final KubernetesClient client;
    private final Map<Class<?>, SharedIndexInformer<?>> informers = new ConcurrentHashMap<>();
    private volatile boolean started;

    public Informers(KubernetesClient client) {
        this.client = client;
    }

    /** The shared informer for {@code type} (cluster-wide), created on first use. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> SharedIndexInformer<T> of(Class<T> type) {
        return (SharedIndexInformer<T>) informers.computeIfAbsent(type, t -> {
            // Retry forever: by default fabric8 gives an informer up for good when a list fails,
            // which a busy API server (or a slow first deserialisation) can cause.
            SharedIndexInformer<T> informer = client.resources(type).inAnyNamespace().runnableInformer(0)
                    .exceptionHandler((started, error) -> true);
            if (started) {
                informer.start();
            }
            return informer;
        });
    }

    /** A read-only view of the cache of {@code type}. */
    public <T extends HasMetadata> Lister<T> lister(Class<T> type) {
        return new Lister<>(of(type).getIndexer());
    }

    /** Starts every informer created so far and waits until each has listed (or the timeout passes). */
    public void startAll(long timeoutMillis) throws InterruptedException {
        started = true;
        List<SharedIndexInformer<?>> all = new ArrayList<>(informers.values());
        all.forEach(SharedIndexInformer::start);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (SharedIndexInformer<?> informer : all) {
            try {
                informer.start().toCompletableFuture().get(Math.max(1, deadline - System.currentTimeMillis()),
                        TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // informers keep retrying by themselves; controllers see the cache fill up later
            }
        }
    }

    /** True once every informer has listed at least once. */
    public boolean synced() {
        return informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
        started = false;
    }
}
