package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.util.Set;
import java.util.function.Function;

/**
 * Refuses new objects in a namespace that does not exist (404) or is being deleted (403), and
 * refuses to delete the namespaces the cluster itself needs.
 */
public final class NamespaceLifecycle implements Admission {

    public static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");

    private final Function<String, CachedObject> namespaces;

    /** @param namespaces looks a namespace up by name (consistent read), null if absent */
    public NamespaceLifecycle(Function<String, CachedObject> namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request) {
        if (type.kind().equals("Namespace") && type.group().isEmpty()) {
            String name = obj.path("metadata").path("name").asText();
            if (operation == Operation.DELETE && IMMORTAL.contains(name)) {
                throw StatusException.forbidden("", "namespaces", name, "this namespace may not be deleted");
            }
            return;
        }
        if (!type.namespaced() || operation != Operation.CREATE) {
            return;
        }
        String namespace = obj.path("metadata").path("namespace").asText();
        CachedObject ns = namespaces.apply(namespace);
        if (ns == null) {
            throw StatusException.notFound("", "namespaces", namespace);
        }
        if (ns.object().path("metadata").has("deletionTimestamp")
                || "Terminating".equals(ns.object().path("status").path("phase").asText())) {
            // events about the termination itself are still welcome, as upstream allows
            if (type.kind().equals("Event")) {
                return;
            }
            throw new StatusException(403, "Forbidden", type.qualifiedName() + " \""
                    + obj.path("metadata").path("name").asText() + "\" is forbidden: unable to create new content in "
                    + "namespace " + namespace + " because it is being terminated", obj.path("metadata").path("name").asText(),
                    type.group(), type.plural(), java.util.List.of(new dev.konductor.api.status.FieldError(
                    "NamespaceTerminating", "metadata.namespace", "namespace " + namespace + " is being terminated")),
                    null);
        }
    }
}
