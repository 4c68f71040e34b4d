package dev.konductor.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.apiserver.authn.UserInfo;

/** Whether a binding's subject is a user, as upstream's RBAC matches Users, Groups and ServiceAccounts. */
final class Subjects {

    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    private Subjects() {
    }

    /**
     * @param bindingNamespace a RoleBinding's namespace, which a ServiceAccount subject without a
     *                         namespace of its own lives in; "" for ClusterRoleBindings
     */
    static boolean matches(JsonNode subject, String bindingNamespace, UserInfo user) {
        String name = subject.path("name").asText("");
        return switch (subject.path("kind").asText("")) {
            case "User" -> user.name().equals(name);
            case "Group" -> user.groups().contains(name);
            case "ServiceAccount" -> {
                String namespace = subject.path("namespace").asText("");
                if (namespace.isEmpty()) {
                    namespace = bindingNamespace;
                }
                yield !namespace.isEmpty() && user.name().equals(SERVICE_ACCOUNT_PREFIX + namespace + ":" + name);
            }
            default -> false;
        };
    }

    /** {@code User "alice"}, {@code Group "g"}, {@code ServiceAccount "name/namespace"}: upstream's wording. */
    static String describe(JsonNode subject, String bindingNamespace) {
        String kind = subject.path("kind").asText("");
        String name = subject.path("name").asText("");
        if (kind.equals("ServiceAccount")) {
            String namespace = subject.path("namespace").asText("");
            name = name + "/" + (namespace.isEmpty() ? bindingNamespace : namespace);
        }
        return kind + " \"" + name + "\"";
    }
}
