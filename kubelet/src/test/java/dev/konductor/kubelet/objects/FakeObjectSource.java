package dev.konductor.kubelet.objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link ObjectSource} for unit tests: put objects in, take them out again. */
public final class FakeObjectSource implements ObjectSource {

    private final Map<String, HasMetadata> objects = new ConcurrentHashMap<>();
    private volatile Map<String, Quantity> allocatable = Map.of();
    private volatile boolean servicesSynced = true;

    public FakeObjectSource put(HasMetadata object) {
        objects.put(key(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName()), object);
        return this;
    }

    public void remove(HasMetadata object) {
        objects.remove(key(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName()));
    }

    public FakeObjectSource allocatable(Map<String, Quantity> allocatable) {
        this.allocatable = Map.copyOf(allocatable);
        return this;
    }

    public void servicesSynced(boolean synced) {
        this.servicesSynced = synced;
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return get("ConfigMap", namespace, name, ConfigMap.class);
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return get("Secret", namespace, name, Secret.class);
    }

    @Override
    public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
        return get("PersistentVolumeClaim", namespace, name, PersistentVolumeClaim.class);
    }

    @Override
    public Optional<PersistentVolume> persistentVolume(String name) {
        return get("PersistentVolume", null, name, PersistentVolume.class);
    }

    @Override
    public List<Service> services(String namespace) throws Unavailable {
        if (!servicesSynced) {
            throw new Unavailable("services have not yet been read at least once, cannot construct envvars");
        }
        return objects.values().stream().filter(o -> o instanceof Service && namespace.equals(o.getMetadata().getNamespace()))
                .map(Service.class::cast).toList();
    }

    @Override
    public Map<String, Quantity> nodeAllocatable() {
        return allocatable;
    }

    private <T> Optional<T> get(String kind, String namespace, String name, Class<T> type) {
        return Optional.ofNullable(objects.get(key(kind, namespace, name))).map(type::cast);
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }
}
