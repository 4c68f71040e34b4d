package dev.konductor.apiserver.authz;

import dev.konductor.api.status.StatusException;

/**
 * Upstream's 403 for a request no authorizer allowed:
 * {@code pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods"
 * in API group "" in the namespace "default"}, followed by the authorizers' reason when there is one.
 */
public final class Forbidden {

    private Forbidden() {
    }

    public static StatusException of(Attributes request, String reason) {
        String message = message(request) + (reason == null || reason.isEmpty() ? "" : ": " + reason);
        if (!request.resourceRequest()) {
            return new StatusException(403, "Forbidden", "forbidden: " + message, null, null, null, null, null);
        }
        return StatusException.forbidden(request.apiGroup(), request.resource(),
                request.name().isEmpty() ? null : request.name(), message);
    }

    /** {@code User "x" cannot VERB resource "R" in API group "G" in the namespace "N"} (or at the cluster scope). */
    static String message(Attributes request) {
        String user = quote(request.user().name());
        if (!request.resourceRequest()) {
            return "User " + user + " cannot " + request.verb() + " path " + quote(request.path());
        }
        String where = request.namespace().isEmpty() ? "at the cluster scope"
                : "in the namespace " + quote(request.namespace());
        return "User " + user + " cannot " + request.verb() + " resource " + quote(request.combinedResource())
                + " in API group " + quote(request.apiGroup()) + " " + where;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
