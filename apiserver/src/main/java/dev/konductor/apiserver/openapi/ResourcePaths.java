package dev.konductor.apiserver.openapi;

import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.schema.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The REST paths and operations of one resource, as upstream's OpenAPI lists them: the collection,
 * the item, the cross-namespace list, and the status and scale subresources. Independent of the
 * OpenAPI version; {@link PathsJson} renders them.
 *
 * <p>kubectl reads two things from them: {@code explain} finds a resource's kind through the
 * {@code x-kubernetes-group-version-kind} of its operations, and {@code apply} skips client-side
 * validation when the PATCH operation of the kind lists the {@code fieldValidation} parameter.
 */
final class ResourcePaths {

    record Parameter(String name, String in, String type, boolean required, String description) {
    }

    /** What a request carries. */
    enum Body {
        NONE, OBJECT, PATCH, DELETE_OPTIONS,
        /** A patch of a custom resource: no strategic merge patch, as upstream's CRD handler. */
        CUSTOM_PATCH;

        boolean isPatch() {
            return this == PATCH || this == CUSTOM_PATCH;
        }
    }

    /**
     * @param method       lower-case HTTP method
     * @param action       upstream's x-kubernetes-action ({@code list}, {@code post}, {@code patch} ...)
     * @param bodyType     the object a request with {@link Body#OBJECT} sends
     * @param responseType what a successful response holds
     * @param codes        the success status codes
     */
    record Operation(String method, String operationId, String description, String action, GroupVersionKind gvk,
                     List<Parameter> parameters, Body body, Schema.ObjectType bodyType,
                     Schema.ObjectType responseType, List<Integer> codes) {
    }

    record PathItem(String path, List<Parameter> parameters, List<Operation> operations) {
    }

    /** The object types operations refer to besides the resource's own. */
    record CommonTypes(Schema.ObjectType status, Schema.ObjectType deleteOptions, Schema.ObjectType scale) {
    }

    private static final Parameter PRETTY = query("pretty", "string", "If 'true', the output is pretty printed.");
    private static final Parameter NAMESPACE = new Parameter("namespace", "path", "string", true,
            "object name and auth scope, such as for teams and projects");
    private static final Parameter DRY_RUN = query("dryRun", "string",
            "When present, modifications are not persisted. The only valid value is All.");
    private static final Parameter FIELD_MANAGER = query("fieldManager", "string",
            "The name of the actor making these changes; required for apply.");
    private static final Parameter FIELD_VALIDATION = query("fieldValidation", "string",
            "How to treat unknown or duplicate fields in the request: Ignore, Warn or Strict.");
    private static final Parameter FORCE = query("force", "boolean",
            "Take ownership of fields other managers own; only for apply requests.");
    private static final List<Parameter> LIST = List.of(
            query("allowWatchBookmarks", "boolean", "Ask for BOOKMARK events in a watch."),
            query("continue", "string", "The continue token of a previous chunked list."),
            query("fieldSelector", "string", "Restrict the returned objects by their fields."),
            query("labelSelector", "string", "Restrict the returned objects by their labels."),
            query("limit", "integer", "The maximum number of objects to return."),
            query("resourceVersion", "string", "The resource version the list or watch starts from."),
            query("resourceVersionMatch", "string", "How resourceVersion applies to the list."),
            query("sendInitialEvents", "boolean", "Start a watch with the current objects."),
            query("timeoutSeconds", "integer", "Timeout of the list or watch call."),
            query("watch", "boolean", "Watch for changes instead of listing."));
    private static final List<Parameter> DELETE = List.of(
            DRY_RUN,
            query("gracePeriodSeconds", "integer", "Seconds before the object is deleted; 0 deletes at once."),
            query("orphanDependents", "boolean", "Deprecated: use propagationPolicy."),
            query("propagationPolicy", "string", "Orphan, Background or Foreground garbage collection."));

    private ResourcePaths() {
    }

    /** Every path of a resource. */
    static List<PathItem> of(ResourceType type, Schema.ObjectType kind, Schema.ObjectType list, CommonTypes common) {
        String root = type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version();
        String collection = root + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
        String scope = type.namespaced() ? "Namespaced" : "";
        Naming naming = new Naming(type, scope);
        List<Parameter> collectionParameters = type.namespaced() ? List.of(NAMESPACE, PRETTY) : List.of(PRETTY);
        Parameter name = new Parameter("name", "path", "string", true, "name of the " + type.kind());
        List<Parameter> itemParameters = type.namespaced() ? List.of(name, NAMESPACE, PRETTY) : List.of(name, PRETTY);

        List<Operation> collectionOps = new ArrayList<>();
        if (type.verbs().contains("list")) {
            collectionOps.add(naming.op("get", "list", "", "list or watch objects of kind " + type.kind(), type.gvk(),
                    LIST, Body.NONE, null, list, List.of(200)));
        }
        collectionOps.add(naming.op("post", "create", "", "create a " + type.kind(), type.gvk(),
                List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION), Body.OBJECT, kind, kind, List.of(200, 201, 202)));
        if (type.verbs().contains("deletecollection")) {
            collectionOps.add(naming.op("delete", "deletecollection", "", "delete collection of " + type.kind(),
                    type.gvk(), concat(DELETE, LIST), Body.DELETE_OPTIONS, common.deleteOptions(), common.status(),
                    List.of(200)));
        }
        List<PathItem> paths = new ArrayList<>();
        paths.add(new PathItem(collection, collectionParameters, collectionOps));
        if (!type.verbs().contains("get")) {
            // create-only kinds (the authentication reviews) have nothing else to address
            return paths;
        }
        paths.add(new PathItem(collection + "/{name}", itemParameters, List.of(
                naming.op("get", "get", "", "read the specified " + type.kind(), type.gvk(), List.of(),
                        Body.NONE, null, kind, List.of(200)),
                naming.op("put", "put", "", "replace the specified " + type.kind(), type.gvk(),
                        List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION), Body.OBJECT, kind, kind, List.of(200, 201)),
                patch(naming, "", "partially update the specified " + type.kind(), type.gvk(), kind,
                        patchBody(type)),
                naming.op("delete", "delete", "", "delete a " + type.kind(), type.gvk(), DELETE,
                        Body.DELETE_OPTIONS, common.deleteOptions(), common.status(), List.of(200, 202)))));
        if (type.namespaced()) {
            paths.add(new PathItem(root + "/" + type.plural(), List.of(PRETTY), List.of(
                    new Operation("get", "list" + naming.groupVersion + type.kind() + "ForAllNamespaces",
                            "list or watch objects of kind " + type.kind(), "list", type.gvk(), LIST, Body.NONE, null,
                            list, List.of(200)))));
        }
        if (type.hasSubresource("status")) {
            paths.add(subresource(collection + "/{name}/status", itemParameters, naming, "Status",
                    "status of the specified " + type.kind(), type.gvk(), kind, patchBody(type)));
        }
        if (type.hasSubresource("scale") && common.scale() != null) {
            paths.add(subresource(collection + "/{name}/scale", itemParameters, naming, "Scale",
                    "scale of the specified " + type.kind(), new GroupVersionKind("autoscaling", "v1", "Scale"),
                    common.scale(), Body.PATCH));
        }
        return paths;
    }

    private static PathItem subresource(String path, List<Parameter> parameters, Naming naming, String suffix,
                                        String what, GroupVersionKind gvk, Schema.ObjectType type, Body body) {
        return new PathItem(path, parameters, List.of(
                naming.op("get", "get", suffix, "read " + what, gvk, List.of(), Body.NONE, null, type, List.of(200)),
                naming.op("put", "put", suffix, "replace " + what, gvk,
                        List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION), Body.OBJECT, type, type, List.of(200, 201)),
                patch(naming, suffix, "partially update " + what, gvk, type, body)));
    }

    private static Body patchBody(ResourceType type) {
        return type.modelClass() == null ? Body.CUSTOM_PATCH : Body.PATCH;
    }

    private static Operation patch(Naming naming, String suffix, String description, GroupVersionKind gvk,
                                   Schema.ObjectType type, Body body) {
        return naming.op("patch", "patch", suffix, description, gvk,
                List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE), body, null, type, List.of(200, 201));
    }

    /**
     * Upstream's operation ids: verb, group and version in camel case, scope, kind and subresource
     * ({@code patchAppsV1NamespacedDeploymentStatus}, {@code deleteCoreV1CollectionNamespacedPod}).
     */
    private static final class Naming {
        private final ResourceType type;
        private final String scope;
        private final String groupVersion;

        Naming(ResourceType type, String scope) {
            this.type = type;
            this.scope = scope;
            this.groupVersion = groupCamel(type.group()) + capitalize(type.version());
        }

        Operation op(String method, String action, String suffix, String description, GroupVersionKind gvk,
                     List<Parameter> parameters, Body body, Schema.ObjectType bodyType,
                     Schema.ObjectType responseType, List<Integer> codes) {
            String verb = switch (action) {
                case "get" -> "read";
                case "put" -> "replace";
                case "post" -> "create";
                case "deletecollection" -> "delete";
                default -> action;
            };
            String collection = action.equals("deletecollection") ? "Collection" : "";
            String id = verb + groupVersion + collection + scope + type.kind() + suffix;
            return new Operation(method, id, description, action, gvk, parameters, body, bodyType, responseType,
                    codes);
        }
    }

    /** {@code core_v1}, {@code apps_v1}, {@code rbacAuthorization_v1}: upstream's operation tags. */
    static String tag(String group, String version) {
        String camel = groupCamel(group);
        return Character.toLowerCase(camel.charAt(0)) + camel.substring(1) + "_" + version;
    }

    private static String groupCamel(String group) {
        if (group.isEmpty()) {
            return "Core";
        }
        StringBuilder out = new StringBuilder();
        for (String part : group.replace(".k8s.io", "").split("[.-]")) {
            out.append(capitalize(part));
        }
        return out.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static Parameter query(String name, String type, String description) {
        return new Parameter(name, "query", type, false, description);
    }

    private static List<Parameter> concat(List<Parameter> a, List<Parameter> b) {
        List<Parameter> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
