package dev.konductor.apiserver.authz.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The objects a pod spec refers to by name, as upstream's node graph records them: secrets and
 * config maps in volumes (also projected), in env and envFrom of every container, and image
 * pull secrets; persistent volume claims (also the ones generic ephemeral volumes make); and the
 * service account.
 */
record PodReferences(Set<String> secrets, Set<String> configMaps, Set<String> claims, String serviceAccount) {

    static PodReferences of(JsonNode pod) {
        Set<String> secrets = new LinkedHashSet<>();
        Set<String> configMaps = new LinkedHashSet<>();
        Set<String> claims = new LinkedHashSet<>();
        JsonNode spec = pod.path("spec");
        spec.path("imagePullSecrets").forEach(s -> add(secrets, s.path("name")));
        for (JsonNode volume : spec.path("volumes")) {
            add(secrets, volume.path("secret").path("secretName"));
            add(configMaps, volume.path("configMap").path("name"));
            add(claims, volume.path("persistentVolumeClaim").path("claimName"));
            if (volume.has("ephemeral")) {
                // the claim a generic ephemeral volume gets is named after the pod and the volume
                claims.add(pod.path("metadata").path("name").asText() + "-" + volume.path("name").asText());
            }
            for (JsonNode source : volume.path("projected").path("sources")) {
                add(secrets, source.path("secret").path("name"));
                add(configMaps, source.path("configMap").path("name"));
            }
        }
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode container : spec.path(list)) {
                for (JsonNode env : container.path("env")) {
                    add(secrets, env.path("valueFrom").path("secretKeyRef").path("name"));
                    add(configMaps, env.path("valueFrom").path("configMapKeyRef").path("name"));
                }
                for (JsonNode from : container.path("envFrom")) {
                    add(secrets, from.path("secretRef").path("name"));
                    add(configMaps, from.path("configMapRef").path("name"));
                }
            }
        }
        String serviceAccount = spec.path("serviceAccountName").asText("");
        return new PodReferences(secrets, configMaps, claims, serviceAccount.isEmpty() ? "default" : serviceAccount);
    }

    private static void add(Set<String> names, JsonNode name) {
        if (name.isTextual() && !name.asText().isEmpty()) {
            names.add(name.asText());
        }
    }
}
