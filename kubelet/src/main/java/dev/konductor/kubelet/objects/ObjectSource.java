package dev.konductor.kubelet.objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API objects a pod's containers and volumes refer to, as the kubelet reads them (upstream's
 * configMap/secret managers, service lister and node getter). Empty means the object does not
 * exist; {@link Unavailable} that it could not be read, with a message for the user. The
 * objects returned are shared: never mutate one.
 */
public interface ObjectSource {

    Optional<ConfigMap> configMap(String namespace, String name) throws Unavailable;

    Optional<Secret> secret(String namespace, String name) throws Unavailable;

    Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) throws Unavailable;

    Optional<PersistentVolume> persistentVolume(String name) throws Unavailable;

    /** The Services of one namespace (for the service environment variables). */
    List<Service> services(String namespace) throws Unavailable;

    /** This node's {@code status.allocatable} (empty until the node has posted it). */
    Map<String, Quantity> nodeAllocatable();

    /** An object could not be read (the API server is unreachable, a watch has not synced...). */
    final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message);
        }
    }
}
