package dev.konductor.apiserver.authz.rbac;

import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import dev.konductor.apiserver.authz.Authorizer;
import dev.konductor.apiserver.authz.Decision;
import dev.konductor.apiserver.authz.UserRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's RBAC authorizer: allows a request when a rule of a role bound to its user grants it,
 * naming the binding that did ({@code RBAC: allowed by ClusterRoleBinding "cluster-admin" of
 * ClusterRole "cluster-admin" to Group "system:masters"}); otherwise has no opinion, reporting
 * bindings whose role could not be found. RBAC never denies: what nothing grants is forbidden.
 */
public final class RbacAuthorizer implements Authorizer {

    private final RuleResolver resolver;

    public RbacAuthorizer(RuleResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Decision authorize(Attributes request) {
        String[] allowedBy = new String[1];
        List<String> errors = new ArrayList<>();
        resolver.visit(request.user(), request.namespace(), (source, rule, error) -> {
            if (rule != null && rule.allows(request)) {
                allowedBy[0] = source;
                return false;
            }
            if (error != null) {
                errors.add(error);
            }
            return true;
        });
        if (allowedBy[0] != null) {
            return new Decision.Allow("RBAC: allowed by " + allowedBy[0]);
        }
        return new Decision.NoOpinion(errors.isEmpty() ? "" : "RBAC: " + aggregate(errors));
    }

    @Override
    public UserRules rulesFor(UserInfo user, String namespace) {
        return resolver.rulesFor(user, namespace);
    }

    /** Go's aggregate error: one message alone, several in brackets. */
    static String aggregate(List<String> errors) {
        return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    }
}
