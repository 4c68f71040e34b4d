package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Upstream's DefaultIngressClass admission plugin: a new Ingress that names no class (neither
 * {@code spec.ingressClassName} nor the older {@value #CLASS_ANNOTATION} annotation) gets the
 * default one, the IngressClass annotated {@value #DEFAULT_ANNOTATION}; with several, the newest
 * (by name among equals), as upstream since 1.28. So {@code kubectl get ingress} shows the class
 * that serves it, and a controller that serves only its own class picks it up.
 */
public final class DefaultIngressClass implements Admission {

    public static final String DEFAULT_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private final Supplier<List<JsonNode>> ingressClasses;

    /** @param ingressClasses every IngressClass (from the cache) */
    public DefaultIngressClass(Supplier<List<JsonNode>> ingressClasses) {
        this.ingressClasses = ingressClasses;
    }

    @Override
    public void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request) {
        if (operation != Operation.CREATE || !type.kind().equals("Ingress") || !type.group().equals("networking.k8s.io")) {
            return;
        }
        ObjectNode spec = obj.withObject("spec");
        if ((spec.has("ingressClassName") && !spec.get("ingressClassName").isNull())
                || obj.path("metadata").path("annotations").has(CLASS_ANNOTATION)) {
            return;
        }
        defaultClass(ingressClasses.get()).ifPresent(name -> spec.put("ingressClassName", name));
    }

    /** The default class's name: the newest of those annotated default, the first by name among equals. */
    static Optional<String> defaultClass(List<JsonNode> classes) {
        return classes.stream()
                .filter(c -> "true".equals(c.path("metadata").path("annotations").path(DEFAULT_ANNOTATION).asText()))
                .max(Comparator.comparing((JsonNode c) -> c.path("metadata").path("creationTimestamp").asText(""))
                        .thenComparing(c -> c.path("metadata").path("name").asText(""), Comparator.reverseOrder()))
                .map(c -> c.path("metadata").path("name").asText());
    }
}
