package dev.konductor.kubelet.volumes;

import dev.konductor.kubelet.objects.ObjectSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code configMap}: the ConfigMap's keys (or {@code items}) as files, written atomically and
 * rewritten when the ConfigMap changes; read-only for containers. A missing ConfigMap fails the
 * mount unless {@code optional}, which gives an empty volume.
 */
record ConfigMapVolume(String name, ConfigMapVolumeSource source) implements PodVolume {

    static final String PLUGIN = "kubernetes.io~configmap";

    @Override
    public Path setUp(Pod pod, VolumeHost host) throws SetUpException {
        Path dir = host.dirs().volume(pod.getMetadata().getUid(), PLUGIN, name);
        EmptyDirVolume.makeDirectory(dir);
        boolean optional = Boolean.TRUE.equals(source.getOptional());
        ConfigMap map = fetch(host.objects(), pod.getMetadata().getNamespace(), source.getName(), optional);
        Map<String, FileProjection> payload = Payloads.configMap(source.getItems(), map, source.getDefaultMode(), optional);
        write(dir, payload, host);
        return dir;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    /** The ConfigMap, or an empty one when it is missing and optional. */
    static ConfigMap fetch(ObjectSource objects, String namespace, String name, boolean optional) throws SetUpException {
        Optional<ConfigMap> map;
        try {
            map = objects.configMap(namespace, name);
        } catch (ObjectSource.Unavailable e) {
            throw new SetUpException(e.getMessage());
        }
        if (map.isEmpty() && !optional) {
            throw new SetUpException("configmap \"" + name + "\" not found");
        }
        return map.orElseGet(() -> new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .endMetadata().build());
    }

    static void write(Path dir, Map<String, FileProjection> payload, VolumeHost host) throws SetUpException {
        try {
            new AtomicWriter(dir, host.clock()).write(payload);
        } catch (IOException e) {
            throw new SetUpException(SetUpException.SET_UP, e.getMessage(), e);
        }
    }

    @Override
    public boolean managesOwnership() {
        return true;
    }
}
