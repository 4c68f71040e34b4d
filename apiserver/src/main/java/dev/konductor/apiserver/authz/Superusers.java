package dev.konductor.apiserver.authz;

import dev.konductor.apiserver.authn.UserInfo;
import java.util.List;

/**
 * Members of {@code system:masters} may do anything, whatever RBAC holds, as upstream's
 * privileged-group authorizer: the admin kubeconfig keeps working even if every binding is
 * deleted.
 */
public final class Superusers implements Authorizer {

    public static final String GROUP = "system:masters";

    private static final List<PolicyRule> EVERYTHING = List.of(
            PolicyRule.verbs(PolicyRule.ALL).groups(PolicyRule.ALL).resources(PolicyRule.ALL).rule(),
            PolicyRule.verbs(PolicyRule.ALL).urls(PolicyRule.ALL).rule());

    public static boolean isSuperuser(UserInfo user) {
        return user.groups().contains(GROUP);
    }

    @Override
    public Decision authorize(Attributes attributes) {
        return isSuperuser(attributes.user()) ? new Decision.Allow("") : new Decision.NoOpinion("");
    }

    @Override
    public UserRules rulesFor(UserInfo user, String namespace) {
        return isSuperuser(user) ? new UserRules(EVERYTHING, false, List.of()) : UserRules.NONE;
    }
}
