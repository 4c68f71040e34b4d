package dev.konductor.kubelet.volumes;

import dev.konductor.kubelet.token.TokenRequester;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code projected}: Secrets, ConfigMaps, downward API files and service account tokens in one
 * directory, on a tmpfs. The token is the pod's own (TokenRequest, bound to the pod, rotated by
 * the {@link dev.konductor.kubelet.token.TokenManager}). Any source failing fails the whole
 * volume, as upstream, with every failure in the message.
 */
record ProjectedVolume(String name, ProjectedVolumeSource source) implements PodVolume {

    static final String PLUGIN = "kubernetes.io~projected";
    static final long DEFAULT_TOKEN_SECONDS = 3600;

    @Override
    public Path setUp(Pod pod, VolumeHost host) throws SetUpException {
        Path dir = host.dirs().volume(pod.getMetadata().getUid(), PLUGIN, name);
        Map<String, FileProjection> payload = collect(pod, host);
        EmptyDirVolume.setUpTmpfs(dir, pod, host, null);
        ConfigMapVolume.write(dir, payload, host);
        return dir;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    private Map<String, FileProjection> collect(Pod pod, VolumeHost host) throws SetUpException {
        String namespace = pod.getMetadata().getNamespace();
        Integer defaultMode = source.getDefaultMode();
        int mode = defaultMode == null ? Payloads.DEFAULT_MODE : defaultMode;
        Map<String, FileProjection> payload = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (VolumeProjection projection : source.getSources() == null ? List.<VolumeProjection>of() : source.getSources()) {
            try {
                if (projection.getSecret() != null) {
                    var ref = projection.getSecret();
                    boolean optional = Boolean.TRUE.equals(ref.getOptional());
                    Secret secret = SecretVolume.fetch(host.objects(), namespace, ref.getName(), optional);
                    payload.putAll(Payloads.secret(ref.getItems(), secret, mode, optional));
                } else if (projection.getConfigMap() != null) {
                    var ref = projection.getConfigMap();
                    boolean optional = Boolean.TRUE.equals(ref.getOptional());
                    ConfigMap map = ConfigMapVolume.fetch(host.objects(), namespace, ref.getName(), optional);
                    payload.putAll(Payloads.configMap(ref.getItems(), map, mode, optional));
                } else if (projection.getDownwardAPI() != null) {
                    payload.putAll(Payloads.downwardApi(projection.getDownwardAPI().getItems(), pod,
                            host.objects().nodeAllocatable(), mode));
                } else if (projection.getServiceAccountToken() != null) {
                    ServiceAccountTokenProjection token = projection.getServiceAccountToken();
                    long seconds = token.getExpirationSeconds() == null ? DEFAULT_TOKEN_SECONDS : token.getExpirationSeconds();
                    String value = host.tokens().token(pod, token.getAudience(), seconds);
                    payload.put(token.getPath(), new FileProjection(value.getBytes(StandardCharsets.UTF_8), mode));
                } else if (projection.getClusterTrustBundle() != null) {
                    errors.add("clusterTrustBundle projections are not supported on this node");
                } else if (!projection.getAdditionalProperties().isEmpty()) {
                    errors.add(projection.getAdditionalProperties().keySet().iterator().next()
                            + " projections are not supported on this node");
                }
            } catch (SetUpException | TokenRequester.Failed e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new SetUpException(Payloads.aggregate(errors));
        }
        return payload;
    }

    @Override
    public boolean managesOwnership() {
        return true;
    }
}
