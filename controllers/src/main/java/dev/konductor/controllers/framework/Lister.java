package dev.konductor.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an informer's cache. The objects are shared with the cache: never modify one; copy it
 * (e.g. with the model's {@code toBuilder()} / {@code edit()}) before changing it for a write.
 */
public final class Lister<T extends HasMetadata> {

    private final Indexer<T> indexer;

    public Lister(Indexer<T> indexer) {
        this.indexer = indexer;
    }

    public Optional<T> get(String key) {
        return Optional.ofNullable(indexer.getByKey(key));
    }

    public Optional<T> get(String namespace, String name) {
        return get(Keys.of(namespace, name));
    }

    public List<T> list() {
        return indexer.list();
    }

    public List<T> list(String namespace) {
        return indexer.byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    /** Objects in {@code namespace} whose labels match {@code selector} (null selects nothing). */
    public List<T> list(String namespace, LabelSelector selector) {
        if (selector == null) {
            return List.of();
        }
        return list(namespace).stream().filter(o -> Selectors.matches(selector, labels(o))).toList();
    }

    private static Map<String, String> labels(HasMetadata obj) {
        Map<String, String> labels = obj.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }
}
