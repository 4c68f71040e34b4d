package dev.konductor.kubelet.volumes;

import dev.konductor.kubelet.downward.ContainerResources;
import dev.konductor.kubelet.downward.FieldPaths;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The files a ConfigMap, Secret or downward API projection puts into a volume, by upstream's
 * rules (MakePayload, CollectData): every key as a file, or only the {@code items} (each at its
 * path, with its mode); a missing item key fails unless the source is optional, in which case it
 * is skipped. Pure.
 */
final class Payloads {

    static final int DEFAULT_MODE = 0644;

    private Payloads() {
    }

    static Map<String, FileProjection> configMap(List<KeyToPath> items, ConfigMap map, Integer defaultMode, boolean optional)
            throws SetUpException {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (map.getData() != null) {
            map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        if (map.getBinaryData() != null) {
            map.getBinaryData().forEach((k, v) -> data.putIfAbsent(k, Base64.getDecoder().decode(v)));
        }
        return project(items, data, defaultMode, optional, "configmap references non-existent config key: ");
    }

    static Map<String, FileProjection> secret(List<KeyToPath> items, Secret secret, Integer defaultMode, boolean optional)
            throws SetUpException {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v == null ? "" : v)));
        }
        return project(items, data, defaultMode, optional, "references non-existent secret key: ");
    }

    private static Map<String, FileProjection> project(List<KeyToPath> items, Map<String, byte[]> data, Integer defaultMode,
                                                       boolean optional, String missingKey) throws SetUpException {
        int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
        Map<String, FileProjection> payload = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> payload.put(k, new FileProjection(v, mode)));
            return payload;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (optional) {
                    continue;
                }
                throw new SetUpException(missingKey + item.getKey());
            }
            payload.put(item.getPath(), new FileProjection(value, item.getMode() != null ? item.getMode() : mode));
        }
        return payload;
    }

    /** Downward API files; every failing item is reported, together. */
    static Map<String, FileProjection> downwardApi(List<DownwardAPIVolumeFile> items, Pod pod,
                                                   Map<String, Quantity> nodeAllocatable, Integer defaultMode)
            throws SetUpException {
        int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
        Map<String, FileProjection> payload = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
            String path = Path.of(item.getPath()).normalize().toString();
            int fileMode = item.getMode() != null ? item.getMode() : mode;
            try {
                String value = "";
                if (item.getFieldRef() != null) {
                    value = sortLines(FieldPaths.extract(pod.getMetadata(), item.getFieldRef().getFieldPath()));
                } else if (item.getResourceFieldRef() != null) {
                    value = ContainerResources.value(item.getResourceFieldRef(), pod, null, nodeAllocatable);
                }
                payload.put(path, new FileProjection(value.getBytes(StandardCharsets.UTF_8), fileMode));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new SetUpException(aggregate(errors));
        }
        return payload;
    }

    private static String sortLines(String value) {
        String[] lines = value.split("\n", -1);
        Arrays.sort(lines);
        return String.join("\n", lines);
    }

    /** Several errors read as upstream's aggregate: one alone as it is, more as {@code [a, b]}. */
    static String aggregate(List<String> errors) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(errors));
        return distinct.size() == 1 ? distinct.getFirst() : "[" + String.join(", ", distinct) + "]";
    }
}
