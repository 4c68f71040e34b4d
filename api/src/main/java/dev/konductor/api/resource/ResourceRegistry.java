package dev.konductor.api.resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every resource the API server serves: the built-in ones and those added by
 * CustomResourceDefinitions. Lookups are by group/version/plural (URLs) or by
 * group/version/kind (bodies).
 */
public final class ResourceRegistry {

    private final List<ResourceType> all = new CopyOnWriteArrayList<>();
    private final Map<String, ResourceType> byPath = new ConcurrentHashMap<>();
    private final Map<GroupVersionKind, ResourceType> byKind = new ConcurrentHashMap<>();

    /** A registry holding the built-in resources. */
    public static ResourceRegistry builtIn() {
        ResourceRegistry registry = new ResourceRegistry();
        BuiltInResources.all().forEach(registry::add);
        return registry;
    }

    public void add(ResourceType type) {
        ResourceType old = byPath.put(pathKey(type.group(), type.version(), type.plural()), type);
        if (old != null) {
            all.remove(old);
            byKind.remove(old.gvk());
        }
        all.add(type);
        byKind.put(type.gvk(), type);
    }

    public void remove(String group, String version, String plural) {
        ResourceType old = byPath.remove(pathKey(group, version, plural));
        if (old != null) {
            all.remove(old);
            byKind.remove(old.gvk());
        }
    }

    public Optional<ResourceType> byPlural(String group, String version, String plural) {
        return Optional.ofNullable(byPath.get(pathKey(group, version, plural)));
    }

    public Optional<ResourceType> byKind(GroupVersionKind gvk) {
        return Optional.ofNullable(byKind.get(gvk));
    }

    /** Every served resource, in registration order. */
    public Collection<ResourceType> all() {
        return List.copyOf(all);
    }

    /** Every served version of every group, preferred version first within a group, core first. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>();
        for (ResourceType t : all) {
            if (!groups.contains(t.group())) {
                groups.add(t.group());
            }
        }
        return groups;
    }

    public List<String> versions(String group) {
        List<String> versions = new ArrayList<>();
        for (ResourceType t : all) {
            if (t.group().equals(group) && !versions.contains(t.version())) {
                versions.add(t.version());
            }
        }
        return versions;
    }

    public List<ResourceType> resources(String group, String version) {
        return all.stream().filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    }

    private static String pathKey(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }
}
