package dev.konductor.apiserver.authz.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import dev.konductor.apiserver.authz.Authorizer;
import dev.konductor.apiserver.authz.Decision;
import dev.konductor.apiserver.authz.PolicyRule;
import dev.konductor.apiserver.authz.UserRules;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Upstream's Node authorizer, for kubelets ({@code system:node:<name>} in {@code system:nodes}):
 * a node may read only the secrets, config maps, persistent volume claims and volumes that pods
 * bound to it use, request tokens only for the service accounts those pods run as, and touch
 * only its own Lease; everything else it may do is the fixed set of node rules (upstream's
 * {@code system:node} role), and listing TLS secrets for the ingress controller. What it does not allow falls through to RBAC, with the reason
 * ({@code no relationship found between node 'n1' and this object}) kept for the 403.
 */
public final class NodeAuthorizer implements Authorizer {

    public static final String NODES_GROUP = "system:nodes";
    public static final String NODE_USER_PREFIX = "system:node:";
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final String TLS_SECRET_TYPE = "kubernetes.io/tls";
    private static final Set<String> READ = Set.of("get", "list", "watch");

    private final NodeRelations relations;
    private final List<PolicyRule> nodeRules;

    /** @param nodeRules what any node may do beyond the objects its pods use */
    public NodeAuthorizer(NodeRelations relations, List<PolicyRule> nodeRules) {
        this.relations = relations;
        this.nodeRules = List.copyOf(nodeRules);
    }

    /** The node a user is, or null when it is not a node identity. */
    public static String nodeName(UserInfo user) {
        if (!user.groups().contains(NODES_GROUP) || !user.name().startsWith(NODE_USER_PREFIX)) {
            return null;
        }
        return user.name().substring(NODE_USER_PREFIX.length());
    }

    @Override
    public Decision authorize(Attributes request) {
        String node = nodeName(request.user());
        if (node == null) {
            return none("");
        }
        if (node.isEmpty()) {
            return none("unknown node for user \"" + request.user().name() + "\"");
        }
        if (request.resourceRequest() && request.apiGroup().isEmpty()) {
            switch (request.resource()) {
                case "secrets" -> {
                    return isTlsSecretList(request) ? new Decision.Allow("")
                            : readUsedObject(node, request, refs -> refs.secrets());
                }
                case "configmaps" -> {
                    return readUsedObject(node, request, refs -> refs.configMaps());
                }
                case "persistentvolumeclaims" -> {
                    return claim(node, request);
                }
                case "persistentvolumes" -> {
                    return volume(node, request);
                }
                case "serviceaccounts" -> {
                    return token(node, request);
                }
                default -> {
                }
            }
        }
        if (request.resourceRequest() && request.apiGroup().equals("coordination.k8s.io")
                && request.resource().equals("leases")) {
            return lease(node, request);
        }
        return nodeRules.stream().anyMatch(rule -> rule.allows(request)) ? new Decision.Allow("") : none("");
    }

    @Override
    public UserRules rulesFor(UserInfo user, String namespace) {
        // as upstream: a node's permissions depend on its pods, so they are not listed
        return nodeName(user) == null ? UserRules.NONE
                : new UserRules(List.of(), true, List.of("node authorizer does not support user rule resolution"));
    }

    /**
     * Konductor's one extension of the Node authorizer: the ingress controller that runs on every
     * node terminates TLS with the certificates Ingresses name, so a node may list and watch
     * secrets of type {@code kubernetes.io/tls} (selected by field, as the controller asks), and
     * no other secret its pods do not use.
     */
    private static boolean isTlsSecretList(Attributes request) {
        return (request.verb().equals("list") || request.verb().equals("watch")) && request.name().isEmpty()
                && request.requiredField("type").filter(TLS_SECRET_TYPE::equals).isPresent();
    }

    private Decision readUsedObject(String node, Attributes request, Function<PodReferences, Set<String>> used) {
        if (!READ.contains(request.verb())) {
            return none("can only read resources of this type");
        }
        if (!request.subresource().isEmpty()) {
            return none("cannot read subresource");
        }
        for (JsonNode pod : relations.podsOn(node, request.namespace())) {
            if (used.apply(PodReferences.of(pod)).contains(request.name())) {
                return new Decision.Allow("");
            }
        }
        return unrelated(node);
    }

    private Decision claim(String node, Attributes request) {
        boolean statusUpdate = request.subresource().equals("status")
                && Set.of("get", "update", "patch").contains(request.verb());
        if (!request.verb().equals("get") && !statusUpdate) {
            return none("can only get individual resources of this type");
        }
        if (!request.subresource().isEmpty() && !statusUpdate) {
            return none("cannot get subresource");
        }
        return claimUsedBy(node, request.namespace(), request.name()) ? new Decision.Allow("") : unrelated(node);
    }

    private Decision volume(String node, Attributes request) {
        if (!request.verb().equals("get") || !request.subresource().isEmpty()) {
            return none("can only get individual resources of this type");
        }
        for (JsonNode pod : relations.podsOn(node)) {
            String namespace = pod.path("metadata").path("namespace").asText();
            for (String claimName : PodReferences.of(pod).claims()) {
                JsonNode claim = relations.persistentVolumeClaim(namespace, claimName);
                if (claim != null && request.name().equals(claim.path("spec").path("volumeName").asText())) {
                    return new Decision.Allow("");
                }
            }
        }
        return unrelated(node);
    }

    private boolean claimUsedBy(String node, String namespace, String name) {
        return relations.podsOn(node, namespace).stream()
                .anyMatch(pod -> PodReferences.of(pod).claims().contains(name));
    }

    private Decision token(String node, Attributes request) {
        if (!request.verb().equals("create") || request.name().isEmpty()) {
            return none("can only create tokens for individual service accounts");
        }
        if (!request.subresource().equals("token")) {
            return none("can only create token subresource of serviceaccount");
        }
        for (JsonNode pod : relations.podsOn(node, request.namespace())) {
            if (PodReferences.of(pod).serviceAccount().equals(request.name())) {
                return new Decision.Allow("");
            }
        }
        return unrelated(node);
    }

    private Decision lease(String node, Attributes request) {
        if (!Set.of("get", "create", "update", "patch", "delete").contains(request.verb())) {
            return none("can only get, create, update, patch, or delete a node lease");
        }
        if (!request.namespace().equals(LEASE_NAMESPACE)) {
            return none("can only access leases in the " + LEASE_NAMESPACE + " namespace");
        }
        if (!request.verb().equals("create") && !request.name().equals(node)) {
            return none("can only access node lease with the same name as the requesting node");
        }
        return new Decision.Allow("");
    }

    private static Decision unrelated(String node) {
        return none("no relationship found between node '" + node + "' and this object");
    }

    private static Decision none(String reason) {
        return new Decision.NoOpinion(reason);
    }
}
