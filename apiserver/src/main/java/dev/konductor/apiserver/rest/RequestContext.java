package dev.konductor.apiserver.rest;

import dev.konductor.api.resource.ResourceType;
import dev.konductor.apiserver.http.HttpExchange;

/** One resource request: the exchange, the parsed URL and the resource type it addresses. */
record RequestContext(HttpExchange exchange, RequestInfo info, ResourceType type) {

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
