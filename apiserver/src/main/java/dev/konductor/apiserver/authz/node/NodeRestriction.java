package dev.konductor.apiserver.authz.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.admission.Admission;

/**
 * Upstream's NodeRestriction admission, the half of node confinement an authorizer cannot do
 * because it needs the objects: a node may only change its own Node object, may only update the
 * status of and delete pods bound to it, and may create no pods (upstream lets it create mirror
 * pods of its static pods; Konductor's kubelet has none).
 */
public final class NodeRestriction implements Admission {

    @Override
    public void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request) {
        String node = NodeAuthorizer.nodeName(request.user());
        if (node == null || !type.group().isEmpty()) {
            return;
        }
        switch (type.plural()) {
            case "nodes" -> admitNode(node, obj);
            case "pods" -> admitPod(operation, node, obj, old, request.subresource());
            default -> {
            }
        }
    }

    private static void admitNode(String node, ObjectNode obj) {
        String name = obj.path("metadata").path("name").asText("");
        if (!name.equals(node)) {
            throw forbidden("nodes", name, "node \"" + node + "\" is not allowed to modify node \"" + name + "\"");
        }
    }

    private static void admitPod(Operation operation, String node, ObjectNode obj, ObjectNode old,
                                 String subresource) {
        String name = obj.path("metadata").path("name").asText("");
        switch (operation) {
            case CREATE -> throw forbidden("pods", name, "pod does not have \"kubernetes.io/config.mirror\" "
                    + "annotation, node \"" + node + "\" can only create mirror pods");
            case UPDATE -> {
                if (!subresource.equals("status")) {
                    throw forbidden("pods", name, "unexpected operation \"UPDATE\", node \"" + node
                            + "\" can only update pod status");
                }
                if (!node.equals(old.path("spec").path("nodeName").asText(""))) {
                    throw forbidden("pods", name, "node \"" + node
                            + "\" can only update pod status for pods with spec.nodeName set to itself");
                }
            }
            case DELETE -> {
                if (!node.equals(old.path("spec").path("nodeName").asText(""))) {
                    throw forbidden("pods", name, "node \"" + node
                            + "\" can only delete pods with spec.nodeName set to itself");
                }
            }
        }
    }

    private static StatusException forbidden(String resource, String name, String detail) {
        return StatusException.forbidden("", resource, name, detail);
    }
}
