package dev.konductor.apiserver.authz;

import dev.konductor.apiserver.authn.UserInfo;

/** Decides whether a request may proceed, as one of upstream's authorizers. */
public interface Authorizer {

    Decision authorize(Attributes attributes);

    /**
     * What this authorizer lets {@code user} do in {@code namespace} ("" for cluster-wide rules
     * only), for SelfSubjectRulesReview and for RBAC's escalation checks. Authorizers that cannot
     * enumerate their rules say so with {@link UserRules#incomplete()}.
     */
    default UserRules rulesFor(UserInfo user, String namespace) {
        return UserRules.NONE;
    }
}
