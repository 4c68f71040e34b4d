package dev.konductor.apiserver.rest;

import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import dev.konductor.apiserver.authz.Impersonation;
import dev.konductor.apiserver.http.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a request asks to do, in authorization's terms, as upstream's RequestInfoFactory reads it
 * off the URL and method: GET is get, list (no name) or watch ({@code watch=true}); POST create;
 * PUT update; PATCH patch; DELETE delete, or deletecollection without a name. The streaming
 * subresources (exec, attach, portforward) are {@code create} whatever the method, since
 * WebSocket clients open them with GET. A list or watch of one object by
 * {@code fieldSelector=metadata.name=x} names it, so that rules with resourceNames apply; a
 * namespace is in its own namespace. Paths outside the API's resources are non-resource
 * requests, verb the lower-cased method.
 */
final class RequestAttributes {

    private static final Set<String> STREAMING = Set.of("exec", "attach", "portforward");
    private static final String EXTRA_HEADER = "impersonate-extra-";

    private RequestAttributes() {
    }

    static Attributes of(HttpExchange exchange, UserInfo user) {
        return of(exchange.method(), exchange.path(), exchange.params(), user);
    }

    static Attributes of(String method, String path, Map<String, List<String>> params, UserInfo user) {
        RequestInfo info = RequestInfo.parse(path);
        if (info == null) {
            return Attributes.nonResource(user, method.toLowerCase(Locale.ROOT), path);
        }
        String subresource = info.subresource();
        if (subresource != null && subresource.contains("/")) {
            subresource = subresource.substring(0, subresource.indexOf('/')); // proxy/some/path
        }
        String name = info.name();
        String verb = verb(method, name, subresource, first(params, "watch"));
        if (name == null && (verb.equals("list") || verb.equals("watch"))) {
            name = nameFromFieldSelector(first(params, "fieldSelector"));
        }
        String namespace = info.namespace();
        if (info.resource().equals("namespaces") && info.name() != null) {
            namespace = info.name();
        }
        Attributes attributes = Attributes.resource(user, verb, info.group(), info.resource(), subresource, namespace,
                name);
        String fieldSelector = first(params, "fieldSelector");
        return fieldSelector == null ? attributes : attributes.withFieldSelector(fieldSelector);
    }

    private static String verb(String method, String name, String subresource, String watch) {
        if (subresource != null && STREAMING.contains(subresource)) {
            return "create";
        }
        return switch (method) {
            case "GET", "HEAD" -> isTrue(watch) ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method.toLowerCase(Locale.ROOT);
        };
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    /** {@code metadata.name=x} (or {@code ==x}) among a field selector's terms, else null. */
    static String nameFromFieldSelector(String selector) {
        if (selector == null) {
            return null;
        }
        for (String term : selector.split(",")) {
            String t = term.strip();
            for (String op : new String[] {"==", "="}) {
                if (t.startsWith("metadata.name" + op)) {
                    String value = t.substring(("metadata.name" + op).length());
                    return value.isEmpty() ? null : value;
                }
            }
        }
        return null;
    }

    /** The request's Impersonate-* headers ({@code Impersonate-Extra-<key>} keys are escaped and case-insensitive). */
    static Impersonation.Request impersonation(HttpExchange exchange) {
        String uid = exchange.header("Impersonate-Uid");
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : exchange.headers()) {
            String key = header.getKey().toLowerCase(Locale.ROOT);
            if (key.startsWith(EXTRA_HEADER)) {
                String extraKey = URLDecoder.decode(key.substring(EXTRA_HEADER.length()), StandardCharsets.UTF_8);
                extra.computeIfAbsent(extraKey, k -> new ArrayList<>()).add(header.getValue());
            }
        }
        return new Impersonation.Request(exchange.header("Impersonate-User"),
                exchange.headers().getAll("Impersonate-Group"), uid, extra);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
