package dev.konductor.kubelet.objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The objects pods refer to, read through the kubelet's API client. ConfigMaps, Secrets, claims,
 * volumes and the node are fetched by name when asked and kept for a few seconds (upstream's
 * "Cache" change detection with a short TTL), so the containers and volumes of one sync share a
 * read and an update reaches the volumes on the next sync after it expires. Services come from an
 * informer, as upstream's service lister.
 */
public final class ApiObjectSource implements ObjectSource, AutoCloseable {

    static final Duration TTL = Duration.ofSeconds(5);

    private record Key(String kind, String namespace, String name) {
    }

    private record Entry(Optional<?> value, Instant fetched) {
    }

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final Map<Key, Entry> cache = new ConcurrentHashMap<>();
    private final Map<Key, CompletableFuture<Optional<?>>> fetching = new ConcurrentHashMap<>();
    private volatile SharedIndexInformer<Service> services;

    public ApiObjectSource(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    /** Starts the Service informer (the service environment variables wait for its first list). */
    public void start() {
        services = client.services().inAnyNamespace().runnableInformer(0);
        services.start();
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) throws Unavailable {
        return cached("configmap", namespace, name, () -> client.configMaps().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) throws Unavailable {
        return cached("secret", namespace, name, () -> client.secrets().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) throws Unavailable {
        return cached("persistentvolumeclaim", namespace, name,
                () -> client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<PersistentVolume> persistentVolume(String name) throws Unavailable {
        return cached("persistentvolume", "", name, () -> client.persistentVolumes().withName(name).get());
    }

    @Override
    public List<Service> services(String namespace) throws Unavailable {
        SharedIndexInformer<Service> informer = services;
        if (informer == null || !informer.hasSynced()) {
            throw new Unavailable("services have not yet been read at least once, cannot construct envvars");
        }
        return informer.getStore().list().stream().filter(s -> namespace.equals(s.getMetadata().getNamespace())).toList();
    }

    @Override
    public Map<String, Quantity> nodeAllocatable() {
        try {
            Optional<Node> node = cached("node", "", nodeName, () -> client.nodes().withName(nodeName).get());
            return node.map(Node::getStatus).map(s -> s.getAllocatable()).map(Map::copyOf).orElse(Map.of());
        } catch (Unavailable e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private <T> Optional<T> cached(String kind, String namespace, String name, Supplier<T> get) throws Unavailable {
        Key key = new Key(kind, namespace, name);
        Instant now = clock.instant();
        Entry entry = cache.get(key);
        if (entry != null && Duration.between(entry.fetched(), now).compareTo(TTL) < 0) {
            return (Optional<T>) entry.value();
        }
        // Pods starting together ask for the same objects (kube-root-ca.crt, the node) at once:
        // one read serves them all.
        CompletableFuture<Optional<?>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<?>> theirs = fetching.putIfAbsent(key, mine);
        if (theirs != null) {
            return (Optional<T>) awaitFetch(theirs);
        }
        try {
            Optional<T> value = Optional.ofNullable(get.get());
            cache.put(key, new Entry(value, now));
            cache.values().removeIf(e -> Duration.between(e.fetched(), now).compareTo(TTL.multipliedBy(12)) > 0);
            mine.complete(value);
            return value;
        } catch (KubernetesClientException e) {
            Unavailable unavailable = new Unavailable("failed to get " + kind + " "
                    + (namespace.isEmpty() ? "" : namespace + "/") + name + ": "
                    + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
            mine.completeExceptionally(unavailable);
            throw unavailable;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            fetching.remove(key, mine);
        }
    }

    private static Optional<?> awaitFetch(CompletableFuture<Optional<?>> fetch) throws Unavailable {
        try {
            return fetch.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Unavailable unavailable) {
                throw new Unavailable(unavailable.getMessage());
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting for the API server");
        }
    }

    @Override
    public void close() {
        if (services != null) {
            services.close();
        }
    }
}
