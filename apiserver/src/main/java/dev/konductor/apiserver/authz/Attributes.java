package dev.konductor.apiserver.authz;

import dev.konductor.api.meta.FieldSelector;
import dev.konductor.api.meta.SelectorParseException;
import dev.konductor.apiserver.authn.UserInfo;
import java.util.Objects;
import java.util.Optional;

/**
 * What a request asks to do, as upstream's {@code authorizer.Attributes}: who asks, the verb, and
 * either the resource it addresses (API group, resource, subresource, namespace, name) or, for
 * everything outside {@code /api} and {@code /apis} resources, the URL path. Absent parts are
 * empty strings, never null: a cluster-scoped request has namespace "", a list has name "".
 *
 * @param verb          get, list, watch, create, update, patch, delete, deletecollection, or a
 *                      special verb such as use, bind, escalate, impersonate, approve; for
 *                      non-resource requests the lower-cased HTTP method
 * @param fieldSelector a list's or watch's field selector, as upstream's authorizers see it
 *                      since 1.31; "" when there is none
 */
public record Attributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String apiVersion,
                         String resource, String subresource, String namespace, String name, String path,
                         String fieldSelector) {

    public Attributes {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(verb, "verb");
        apiGroup = orEmpty(apiGroup);
        apiVersion = orEmpty(apiVersion);
        resource = orEmpty(resource);
        subresource = orEmpty(subresource);
        namespace = orEmpty(namespace);
        name = orEmpty(name);
        path = orEmpty(path);
        fieldSelector = orEmpty(fieldSelector);
    }

    /** A request for a resource (or one of its subresources). */
    public static Attributes resource(UserInfo user, String verb, String apiGroup, String resource, String subresource,
                                      String namespace, String name) {
        return new Attributes(user, verb, true, apiGroup, "*", resource, subresource, namespace, name, "", "");
    }

    /** A request for a path that names no resource ({@code /healthz}, {@code /api}, {@code /version}). */
    public static Attributes nonResource(UserInfo user, String verb, String path) {
        return new Attributes(user, verb, false, "", "", "", "", "", "", path, "");
    }

    /** The same request asked by someone else (SubjectAccessReview, impersonation). */
    public Attributes withUser(UserInfo other) {
        return new Attributes(other, verb, resourceRequest, apiGroup, apiVersion, resource, subresource, namespace,
                name, path, fieldSelector);
    }

    /** The same request restricted by a list's or watch's field selector. */
    public Attributes withFieldSelector(String selector) {
        return new Attributes(user, verb, resourceRequest, apiGroup, apiVersion, resource, subresource, namespace,
                name, path, selector);
    }

    /** The value the field selector requires {@code field} to have, if it requires one. */
    public Optional<String> requiredField(String field) {
        try {
            return FieldSelector.parse(fieldSelector).requiresExactMatch(field);
        } catch (SelectorParseException e) {
            return Optional.empty();
        }
    }

    /** {@code pods/exec} for a subresource, {@code pods} otherwise: how rules name what they grant. */
    public String combinedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
