package dev.konductor.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.apiserver.authz.node.NodeRelations;
import dev.konductor.apiserver.authz.rbac.RbacObjects;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.watchcache.CachedObject;
import dev.konductor.apiserver.watchcache.WatchCache;
import dev.konductor.apiserver.watchcache.WatchFilter;
import java.util.List;

/**
 * What the authorizers and component statuses read, straight from the watch cache without
 * waiting for it (as upstream's authorizers read informers): RBAC's roles and bindings, the pods
 * bound to a node and their claims, and the control plane's Leases.
 */
final class CachedPolicy implements RbacObjects, NodeRelations {

    private final WatchCache cache;
    private final ResourceType clusterRoles;
    private final ResourceType clusterRoleBindings;
    private final ResourceType roles;
    private final ResourceType roleBindings;
    private final ResourceType pods;
    private final ResourceType claims;
    private final ResourceType leases;

    CachedPolicy(WatchCache cache, ResourceRegistry registry) {
        this.cache = cache;
        String rbac = "rbac.authorization.k8s.io";
        this.clusterRoles = registry.byPlural(rbac, "v1", "clusterroles").orElseThrow();
        this.clusterRoleBindings = registry.byPlural(rbac, "v1", "clusterrolebindings").orElseThrow();
        this.roles = registry.byPlural(rbac, "v1", "roles").orElseThrow();
        this.roleBindings = registry.byPlural(rbac, "v1", "rolebindings").orElseThrow();
        this.pods = registry.byPlural("", "v1", "pods").orElseThrow();
        this.claims = registry.byPlural("", "v1", "persistentvolumeclaims").orElseThrow();
        this.leases = registry.byPlural("coordination.k8s.io", "v1", "leases").orElseThrow();
    }

    @Override
    public List<JsonNode> clusterRoleBindings() {
        return objects(clusterRoleBindings, WatchFilter.ALL);
    }

    @Override
    public List<JsonNode> roleBindings(String namespace) {
        return objects(roleBindings, new WatchFilter(namespace, null, o -> true));
    }

    @Override
    public JsonNode clusterRole(String name) {
        return get(clusterRoles, null, name);
    }

    @Override
    public JsonNode role(String namespace, String name) {
        return get(roles, namespace, name);
    }

    @Override
    public List<JsonNode> podsOn(String node, String namespace) {
        return objects(pods, new WatchFilter(namespace, node, o -> true));
    }

    @Override
    public List<JsonNode> podsOn(String node) {
        return objects(pods, new WatchFilter(null, node, o -> true));
    }

    @Override
    public JsonNode persistentVolumeClaim(String namespace, String name) {
        return get(claims, namespace, name);
    }

    /** A Lease in kube-system, or null. */
    JsonNode kubeSystemLease(String name) {
        return get(leases, "kube-system", name);
    }

    private JsonNode get(ResourceType type, String namespace, String name) {
        CachedObject object = cache.resource(Keys.prefix(type)).get(Keys.key(type, namespace, name));
        return object == null ? null : object.object();
    }

    private List<JsonNode> objects(ResourceType type, WatchFilter filter) {
        return cache.resource(Keys.prefix(type)).list(filter).stream().map(o -> (JsonNode) o.object()).toList();
    }
}
