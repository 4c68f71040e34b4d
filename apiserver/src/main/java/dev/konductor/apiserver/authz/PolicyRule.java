package dev.konductor.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One rule of a Role or ClusterRole (rbac.authorization.k8s.io/v1 PolicyRule) and how upstream's
 * RBAC matches it against a request: verbs, API groups, resources ({@code *}, {@code pods},
 * {@code pods/log} or {@code *}{@code /scale}) and resource names for resource requests;
 * non-resource URLs ({@code *}, {@code /healthz} or a prefix ending in {@code *}) for the rest.
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
                         List<String> resourceNames, List<String> nonResourceURLs) {

    public static final String ALL = "*";

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    /** A rule on resources. */
    public static PolicyRule of(List<String> verbs, List<String> apiGroups, List<String> resources,
                                List<String> resourceNames) {
        return new PolicyRule(verbs, apiGroups, resources, resourceNames, List.of());
    }

    /** A rule on non-resource URLs. */
    public static PolicyRule nonResource(List<String> verbs, List<String> urls) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
    }

    public static PolicyRule fromJson(JsonNode rule) {
        return new PolicyRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")),
                strings(rule.path("resources")), strings(rule.path("resourceNames")),
                strings(rule.path("nonResourceURLs")));
    }

    /** The rules of a Role or ClusterRole object. */
    public static List<PolicyRule> rulesOf(JsonNode role) {
        List<PolicyRule> rules = new ArrayList<>();
        role.path("rules").forEach(r -> rules.add(fromJson(r)));
        return rules;
    }

    /** The v1 PolicyRule, with only the lists that are not empty, as upstream serializes it. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.set("verbs", JsonNodeFactory.instance.arrayNode());
        verbs.forEach(json.withArray("verbs")::add);
        putList(json, "apiGroups", apiGroups);
        putList(json, "resources", resources);
        putList(json, "resourceNames", resourceNames);
        putList(json, "nonResourceURLs", nonResourceURLs);
        return json;
    }

    /** Whether this rule grants the request, as upstream's RuleAllows. */
    public boolean allows(Attributes request) {
        if (request.resourceRequest()) {
            return verbMatches(request.verb()) && groupMatches(request.apiGroup())
                    && resourceMatches(request.resource(), request.subresource()) && nameMatches(request.name());
        }
        return verbMatches(request.verb()) && urlMatches(request.path());
    }

    boolean verbMatches(String verb) {
        return verbs.contains(ALL) || verbs.contains(verb);
    }

    boolean groupMatches(String group) {
        return apiGroups.contains(ALL) || apiGroups.contains(group);
    }

    /** {@code *}, the exact {@code resource[/subresource]}, or {@code *}{@code /subresource}. */
    boolean resourceMatches(String resource, String subresource) {
        String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
        for (String granted : resources) {
            if (granted.equals(ALL) || granted.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && granted.equals("*/" + subresource)) {
                return true;
            }
        }
        return false;
    }

    /** No names grants every object; names grant only requests that name one of them. */
    boolean nameMatches(String name) {
        return resourceNames.isEmpty() || (!name.isEmpty() && resourceNames.contains(name));
    }

    boolean urlMatches(String path) {
        for (String url : nonResourceURLs) {
            if (url.equals(ALL) || url.equals(path)) {
                return true;
            }
            if (url.endsWith(ALL) && path.startsWith(url.substring(0, url.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Upstream's compact form, used in escalation errors:
     * {@code {APIGroups:["apps"], Resources:["deployments"], Verbs:["create"]}}.
     */
    public String compactString() {
        List<String> parts = new ArrayList<>();
        addPart(parts, "APIGroups", apiGroups);
        addPart(parts, "Resources", resources);
        addPart(parts, "NonResourceURLs", nonResourceURLs);
        addPart(parts, "ResourceNames", resourceNames);
        addPart(parts, "Verbs", verbs);
        return "{" + String.join(", ", parts) + "}";
    }

    private static void addPart(List<String> parts, String name, List<String> values) {
        if (!values.isEmpty()) {
            parts.add(name + ":" + quoted(values));
        }
    }

    /** Go's {@code %q} of a string slice: {@code ["a" "b"]}. */
    public static String quoted(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append(']').toString();
    }

    private static void putList(ObjectNode json, String field, List<String> values) {
        if (!values.isEmpty()) {
            values.forEach(json.putArray(field)::add);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    /** A fluent way to write rules, as upstream's bootstrap policy does. */
    public static Builder verbs(String... verbs) {
        return new Builder(List.of(verbs));
    }

    /** Builds a rule: {@code PolicyRule.verbs("get", "list").groups("").resources("pods").rule()}. */
    public static final class Builder {
        private final List<String> verbs;
        private List<String> groups = List.of();
        private List<String> resources = List.of();
        private List<String> names = List.of();
        private List<String> urls = List.of();

        private Builder(List<String> verbs) {
            this.verbs = verbs;
        }

        public Builder groups(String... groups) {
            return set(b -> b.groups = List.of(groups));
        }

        public Builder resources(String... resources) {
            return set(b -> b.resources = List.of(resources));
        }

        public Builder names(String... names) {
            return set(b -> b.names = List.of(names));
        }

        public Builder urls(String... urls) {
            return set(b -> b.urls = List.of(urls));
        }

        public PolicyRule rule() {
            return new PolicyRule(verbs, groups, resources, names, urls);
        }

        private Builder set(Consumer<Builder> change) {
            change.accept(this);
            return this;
        }
    }
}
