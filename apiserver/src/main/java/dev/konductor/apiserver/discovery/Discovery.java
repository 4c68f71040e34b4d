package dev.konductor.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import java.util.List;
import java.util.Set;

/**
 * API discovery in both forms kubectl uses: aggregated ({@code apidiscovery.k8s.io} v2 and
 * v2beta1, chosen by the Accept header) and legacy ({@code APIVersions}, {@code APIGroupList},
 * {@code APIResourceList}).
 */
public final class Discovery {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> STATUS_VERBS = Set.of("get", "patch", "update");

    private final ResourceRegistry registry;

    public Discovery(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** Which aggregated version the Accept header asks for: "v2", "v2beta1" or null (legacy). */
    public static String aggregatedVersion(String accept) {
        if (accept == null) {
            return null;
        }
        for (String part : accept.split(",")) {
            if (part.contains("g=apidiscovery.k8s.io") && part.contains("as=APIGroupDiscoveryList")) {
                if (part.contains("v=v2beta1")) {
                    return "v2beta1";
                }
                if (part.contains("v=v2")) {
                    return "v2";
                }
            }
        }
        return null;
    }

    public static String aggregatedContentType(String version) {
        return "application/json;g=apidiscovery.k8s.io;v=" + version + ";as=APIGroupDiscoveryList";
    }

    /** {@code /api} (core) or {@code /apis} (named groups), aggregated. */
    public ObjectNode aggregated(boolean core, String version) {
        ObjectNode list = F.objectNode();
        list.put("kind", "APIGroupDiscoveryList");
        list.put("apiVersion", "apidiscovery.k8s.io/" + version);
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        for (String group : registry.groups()) {
            if (group.isEmpty() != core) {
                continue;
            }
            ObjectNode item = items.addObject();
            item.putObject("metadata").put("name", group);
            ArrayNode versions = item.putArray("versions");
            for (String v : registry.versions(group)) {
                addAggregatedVersion(versions, v, registry.resources(group, v));
            }
        }
        return list;
    }

    private static void addAggregatedVersion(ArrayNode versions, String version, List<ResourceType> resources) {
        ObjectNode v = versions.addObject();
        v.put("version", version);
        v.put("freshness", "Current");
        ArrayNode out = v.putArray("resources");
        for (ResourceType t : resources) {
            ObjectNode r = out.addObject();
            r.put("resource", t.plural());
            ObjectNode kind = r.putObject("responseKind");
            kind.put("group", t.group());
            kind.put("version", t.version());
            kind.put("kind", t.kind());
            r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
            r.put("singularResource", t.singular());
            verbs(r.putArray("verbs"), t.verbs());
            strings(r, "shortNames", t.shortNames());
            strings(r, "categories", t.categories());
            if (!t.subresources().isEmpty()) {
                ArrayNode subs = r.putArray("subresources");
                for (String sub : t.subresources()) {
                    ObjectNode s = subs.addObject();
                    s.put("subresource", sub);
                    SubresourceKind sk = SubresourceKind.of(t, sub);
                    ObjectNode rk = s.putObject("responseKind");
                    rk.put("group", sk.group());
                    rk.put("version", sk.version());
                    rk.put("kind", sk.kind());
                    verbs(s.putArray("verbs"), sk.verbs());
                }
            }
        }
    }

    /** Legacy {@code /api}. */
    public ObjectNode apiVersions(String serverAddress) {
        ObjectNode o = F.objectNode();
        o.put("kind", "APIVersions");
        o.putArray("versions").add("v1");
        ObjectNode cidr = o.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return o;
    }

    /** Legacy {@code /apis}. */
    public ObjectNode apiGroupList() {
        ObjectNode o = F.objectNode();
        o.put("kind", "APIGroupList");
        o.put("apiVersion", "v1");
        ArrayNode groups = o.putArray("groups");
        for (String group : registry.groups()) {
            if (!group.isEmpty()) {
                groups.add(apiGroup(group, registry.versions(group)));
            }
        }
        return o;
    }

    /** Legacy {@code /apis/GROUP}; null if unknown. */
    public ObjectNode apiGroup(String group) {
        List<String> versions = registry.versions(group);
        if (!versions.isEmpty()) {
            ObjectNode g = apiGroup(group, versions);
            g.put("kind", "APIGroup");
            g.put("apiVersion", "v1");
            return g;
        }
        return null;
    }

    private static ObjectNode apiGroup(String group, List<String> versions) {
        ObjectNode g = F.objectNode();
        g.put("name", group);
        ArrayNode vs = g.putArray("versions");
        for (String v : versions) {
            ObjectNode gv = vs.addObject();
            gv.put("groupVersion", group + "/" + v);
            gv.put("version", v);
        }
        ObjectNode preferred = g.putObject("preferredVersion");
        preferred.put("groupVersion", group + "/" + versions.get(0));
        preferred.put("version", versions.get(0));
        return g;
    }

    /** Legacy {@code /api/v1} or {@code /apis/G/V}; null if unknown. */
    public ObjectNode apiResourceList(String group, String version) {
        List<ResourceType> resources = registry.resources(group, version);
        if (resources.isEmpty()) {
            return null;
        }
        ObjectNode o = F.objectNode();
        o.put("kind", "APIResourceList");
        o.put("apiVersion", "v1");
        o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode out = o.putArray("resources");
        for (ResourceType t : resources) {
            ObjectNode r = out.addObject();
            r.put("name", t.plural());
            r.put("singularName", t.singular());
            r.put("namespaced", t.namespaced());
            r.put("kind", t.kind());
            verbs(r.putArray("verbs"), t.verbs());
            strings(r, "shortNames", t.shortNames());
            strings(r, "categories", t.categories());
            for (String sub : t.subresources()) {
                SubresourceKind sk = SubresourceKind.of(t, sub);
                ObjectNode s = out.addObject();
                s.put("name", t.plural() + "/" + sub);
                s.put("singularName", "");
                s.put("namespaced", t.namespaced());
                if (!sk.group().equals(t.group()) || !sk.version().equals(t.version())) {
                    s.put("group", sk.group());
                    s.put("version", sk.version());
                }
                s.put("kind", sk.kind());
                verbs(s.putArray("verbs"), sk.verbs());
            }
        }
        return o;
    }

    private static void verbs(ArrayNode array, Set<String> verbs) {
        verbs.stream().sorted().forEach(array::add);
    }

    private static void strings(ObjectNode r, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = r.putArray(field);
            values.forEach(a::add);
        }
    }

    /** What a subresource answers with, and which verbs it takes. */
    record SubresourceKind(String group, String version, String kind, Set<String> verbs) {
        static SubresourceKind of(ResourceType t, String sub) {
            return switch (sub) {
                case "status" -> new SubresourceKind(t.group(), t.version(), t.kind(), STATUS_VERBS);
                case "scale" -> new SubresourceKind("autoscaling", "v1", "Scale", STATUS_VERBS);
                case "eviction" -> new SubresourceKind("policy", "v1", "Eviction", Set.of("create"));
                case "binding" -> new SubresourceKind("", "v1", "Binding", Set.of("create"));
                case "log" -> new SubresourceKind("", "v1", "Pod", Set.of("get"));
                case "exec", "attach", "portforward" -> new SubresourceKind("", "v1",
                        sub.equals("exec") ? "PodExecOptions" : sub.equals("attach") ? "PodAttachOptions"
                                : "PodPortForwardOptions", Set.of("create", "get"));
                case "proxy" -> new SubresourceKind("", "v1", t.kind().equals("Pod") ? "PodProxyOptions"
                        : t.kind().equals("Node") ? "NodeProxyOptions" : "ServiceProxyOptions",
                        Set.of("create", "delete", "get", "patch", "update"));
                case "finalize" -> new SubresourceKind("", "v1", "Namespace", Set.of("update"));
                case "token" -> new SubresourceKind("authentication.k8s.io", "v1", "TokenRequest", Set.of("create"));
                case "ephemeralcontainers" -> new SubresourceKind("", "v1", "Pod",
                        Set.of("get", "patch", "update"));
                default -> new SubresourceKind(t.group(), t.version(), t.kind(), STATUS_VERBS);
            };
        }
    }
}
