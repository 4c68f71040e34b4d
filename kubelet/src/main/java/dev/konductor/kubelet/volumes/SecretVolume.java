package dev.konductor.kubelet.volumes;

import dev.konductor.kubelet.objects.ObjectSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code secret}: like a ConfigMap volume, on a tmpfs so that the Secret's bytes never reach the
 * node's disk. A missing Secret fails the mount unless {@code optional}.
 */
record SecretVolume(String name, SecretVolumeSource source) implements PodVolume {

    static final String PLUGIN = "kubernetes.io~secret";

    @Override
    public Path setUp(Pod pod, VolumeHost host) throws SetUpException {
        Path dir = host.dirs().volume(pod.getMetadata().getUid(), PLUGIN, name);
        boolean optional = Boolean.TRUE.equals(source.getOptional());
        Secret secret = fetch(host.objects(), pod.getMetadata().getNamespace(), source.getSecretName(), optional);
        EmptyDirVolume.setUpTmpfs(dir, pod, host, null);
        ConfigMapVolume.write(dir, Payloads.secret(source.getItems(), secret, source.getDefaultMode(), optional), host);
        return dir;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    static Secret fetch(ObjectSource objects, String namespace, String name, boolean optional) throws SetUpException {
        Optional<Secret> secret;
        try {
            secret = objects.secret(namespace, name);
        } catch (ObjectSource.Unavailable e) {
            throw new SetUpException(e.getMessage());
        }
        if (secret.isEmpty() && !optional) {
            throw new SetUpException("secret \"" + name + "\" not found");
        }
        return secret.orElseGet(() -> new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .endMetadata().build());
    }

    @Override
    public boolean managesOwnership() {
        return true;
    }
}
