package dev.konductor.apiserver.authz;

import dev.konductor.apiserver.authn.UserInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's union authorizer: each authorizer in turn until one allows or denies; when none
 * has an opinion the request is not allowed, and the reasons they gave are joined (RBAC's
 * "role not found", the Node authorizer's "no relationship found") for the 403 message.
 */
public final class AuthorizerChain implements Authorizer {

    private final List<Authorizer> authorizers;

    public AuthorizerChain(List<Authorizer> authorizers) {
        this.authorizers = List.copyOf(authorizers);
    }

    @Override
    public Decision authorize(Attributes attributes) {
        List<String> reasons = new ArrayList<>();
        for (Authorizer authorizer : authorizers) {
            Decision decision = authorizer.authorize(attributes);
            switch (decision) {
                case Decision.Allow allow -> {
                    return allow;
                }
                case Decision.Deny deny -> {
                    return deny;
                }
                case Decision.NoOpinion none -> {
                    if (!none.reason().isEmpty()) {
                        reasons.add(none.reason());
                    }
                }
            }
        }
        return new Decision.NoOpinion(String.join(", ", reasons));
    }

    @Override
    public UserRules rulesFor(UserInfo user, String namespace) {
        UserRules all = UserRules.NONE;
        for (Authorizer authorizer : authorizers) {
            all = all.plus(authorizer.rulesFor(user, namespace));
        }
        return all;
    }
}
