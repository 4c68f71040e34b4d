package dev.konductor.apiserver.rest;

import dev.konductor.api.resource.ResourceType;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.http.HttpExchange;

/**
 * One resource request: the exchange, the parsed URL, the resource type it addresses and the
 * user it is made for (the authenticated one, or whom they impersonate).
 */
record RequestContext(HttpExchange exchange, RequestInfo info, ResourceType type, UserInfo user) {

    /** The same request addressing another object (each object of a deletecollection, an eviction's budget). */
    RequestContext withInfo(RequestInfo otherInfo, ResourceType otherType) {
        return new RequestContext(exchange, otherInfo, otherType, user);
    }

    /** What admission learns of the request besides the objects. */
    Admission.Request admissionRequest(String subresource) {
        return new Admission.Request(user, subresource, dryRun());
    }

    String namespace() {
        return type.namespaced() ? info.namespace() : null;
    }

    String name() {
        return info.name();
    }

    boolean dryRun() {
        return exchange.params("dryRun").contains("All");
    }

    /** Whether this is a server-side apply (a PATCH with an apply-patch body). */
    boolean isApply() {
        return exchange.method().equals("PATCH")
                && BodyDecoder.mediaType(exchange).equals(PatchHandler.APPLY_PATCH);
    }

    /** fieldValidation: Strict, Warn (upstream's default) or Ignore. */
    String fieldValidation() {
        String v = exchange.param("fieldValidation");
        return v == null || v.isEmpty() ? "Warn" : v;
    }

    /** The field manager: the fieldManager parameter, else the user agent's program name. */
    String fieldManager() {
        String manager = exchange.param("fieldManager");
        if (manager != null && !manager.isEmpty()) {
            return manager;
        }
        String agent = exchange.header("User-Agent");
        if (agent == null || agent.isEmpty()) {
            return "unknown";
        }
        int slash = agent.indexOf('/');
        return slash < 0 ? agent : agent.substring(0, slash);
    }
}
