package dev.konductor.controllers.framework;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The API server's resources as discovery lists them, in each group's preferred version (what
 * upstream's {@code ServerPreferredResources} returns): the namespace controller and the garbage
 * collector act on every resource type this way, custom resources included.
 */
public final class ApiDiscovery {

    private ApiDiscovery() {
    }

    /** One discovered resource (subresources are left out). */
    public record ApiResource(String group, String version, String plural, String kind, boolean namespaced,
                              Set<String> verbs) {

        public String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        /** {@code plural.group} as upstream prints a GroupResource ({@code pods.} for the core group). */
        public String groupResource() {
            return plural + "." + group;
        }

        /** Upstream's {@code GroupVersionResource.String()}: {@code apps/v1, Resource=deployments}. */
        public String gvrString() {
            return group + "/" + version + ", Resource=" + plural;
        }

        public boolean supports(String... wanted) {
            for (String verb : wanted) {
                if (!verbs.contains(verb)) {
                    return false;
                }
            }
            return true;
        }

        public ResourceDefinitionContext context() {
            return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                    .withPlural(plural).withKind(kind).withNamespaced(namespaced).build();
        }

        /** The URL path of the collection, {@code /apis/G/V[/namespaces/NS]/PLURAL}. */
        public String path(String namespace) {
            String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
            return namespaced && namespace != null && !namespace.isEmpty()
                    ? base + "/namespaces/" + namespace + "/" + plural : base + "/" + plural;
        }
    }

    /**
     * What discovery found. {@code failedGroups} maps each group version that could not be read to
     * the reason; the resources of the others are still usable.
     */
    public record Result(List<ApiResource> resources, Map<String, String> failedGroups) {

        /**
         * Upstream's {@code ErrGroupDiscoveryFailed} text, or null when every group answered.
         */
        public String failureMessage() {
            if (failedGroups.isEmpty()) {
                return null;
            }
            return "unable to retrieve the complete list of server APIs: " + failedGroups.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    /** Discovers the preferred version of every group (core first). */
    public static Result preferredResources(KubernetesClient client) {
        List<String> groupVersions = new ArrayList<>();
        groupVersions.add("v1");
        APIGroupList groups = client.getApiGroups();
        if (groups != null && groups.getGroups() != null) {
            for (APIGroup group : groups.getGroups()) {
                if (group.getPreferredVersion() != null) {
                    groupVersions.add(group.getPreferredVersion().getGroupVersion());
                } else if (group.getVersions() != null && !group.getVersions().isEmpty()) {
                    groupVersions.add(group.getVersions().get(0).getGroupVersion());
                }
            }
        }
        List<ApiResource> resources = new ArrayList<>();
        Map<String, String> failed = new TreeMap<>();
        for (String groupVersion : groupVersions) {
            try {
                APIResourceList list = client.getApiResources(groupVersion);
                if (list == null) {
                    failed.put(groupVersion, "the server could not find the requested resource");
                    continue;
                }
                resources.addAll(parse(groupVersion, list));
            } catch (RuntimeException e) {
                failed.put(groupVersion, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        return new Result(List.copyOf(resources), failed);
    }

    /** The resources of one {@code APIResourceList}, without subresources. */
    public static List<ApiResource> parse(String groupVersion, APIResourceList list) {
        int slash = groupVersion.indexOf('/');
        String group = slash < 0 ? "" : groupVersion.substring(0, slash);
        String version = groupVersion.substring(slash + 1);
        List<ApiResource> out = new ArrayList<>();
        if (list.getResources() == null) {
            return out;
        }
        for (APIResource r : list.getResources()) {
            if (r.getName() == null || r.getName().contains("/")) {
                continue;
            }
            out.add(new ApiResource(group, version, r.getName(), r.getKind(), Boolean.TRUE.equals(r.getNamespaced()),
                    r.getVerbs() == null ? Set.of() : Set.copyOf(r.getVerbs())));
        }
        return out;
    }
}
