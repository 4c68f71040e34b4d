package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Upstream's DefaultStorageClass admission plugin: a new claim that names no storage class (the
 * field absent, not {@code ""}, which asks for no class) gets the default one, the class annotated
 * {@value #DEFAULT_ANNOTATION}; with several, the newest, as upstream since 1.26.
 */
public final class DefaultStorageClass implements Admission {

    public static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    static final String BETA_DEFAULT_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
    static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    private final Supplier<List<JsonNode>> storageClasses;

    /** @param storageClasses every StorageClass (from the cache) */
    public DefaultStorageClass(Supplier<List<JsonNode>> storageClasses) {
        this.storageClasses = storageClasses;
    }

    @Override
    public void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request) {
        if (operation != Operation.CREATE || !type.kind().equals("PersistentVolumeClaim") || !type.group().isEmpty()) {
            return;
        }
        ObjectNode spec = obj.withObject("spec");
        if ((spec.has("storageClassName") && !spec.get("storageClassName").isNull())
                || obj.path("metadata").path("annotations").has(BETA_CLASS_ANNOTATION)) {
            return;
        }
        defaultClass(storageClasses.get()).ifPresent(name -> spec.put("storageClassName", name));
    }

    /** The default class's name: the newest of those annotated default (by name among equals). */
    static Optional<String> defaultClass(List<JsonNode> classes) {
        return classes.stream()
                .filter(DefaultStorageClass::isDefault)
                .max(Comparator.comparing((JsonNode c) -> c.path("metadata").path("creationTimestamp").asText(""))
                        .thenComparing(c -> c.path("metadata").path("name").asText(""), Comparator.reverseOrder()))
                .map(c -> c.path("metadata").path("name").asText());
    }

    private static boolean isDefault(JsonNode storageClass) {
        JsonNode annotations = storageClass.path("metadata").path("annotations");
        return "true".equals(annotations.path(DEFAULT_ANNOTATION).asText())
                || "true".equals(annotations.path(BETA_DEFAULT_ANNOTATION).asText());
    }
}
