package dev.konductor.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The rbac.authorization.k8s.io/v1 objects RBAC decides with, as upstream's authorizer reads
 * them through informers: from the API server's cache, without waiting for it.
 */
public interface RbacObjects {

    List<JsonNode> clusterRoleBindings();

    List<JsonNode> roleBindings(String namespace);

    /** The ClusterRole, or null. */
    JsonNode clusterRole(String name);

    /** The Role, or null. */
    JsonNode role(String namespace, String name);
}
