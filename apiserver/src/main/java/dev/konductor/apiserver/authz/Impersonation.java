package dev.konductor.apiserver.authz;

import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.authn.UserInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's impersonation filter ({@code kubectl --as}, {@code --as-group}): a request with
 * {@code Impersonate-User} acts as that user, once the authenticated user may {@code impersonate}
 * them ({@code users}, or the {@code serviceaccounts} object for a service account), each
 * requested group ({@code groups}), extra ({@code userextras/<key>}) and uid ({@code uids}).
 */
public final class Impersonation {

    public static final String AUTHENTICATION_GROUP = "authentication.k8s.io";
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    /** The Impersonate-* headers of a request; {@code user} is null when there are none. */
    public record Request(String user, List<String> groups, String uid, Map<String, List<String>> extra) {

        public Request {
            groups = List.copyOf(groups);
            extra = Map.copyOf(extra);
        }

        boolean any() {
            return user != null || !groups.isEmpty() || uid != null || !extra.isEmpty();
        }
    }

    private final Authorizer authorizer;

    public Impersonation(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /**
     * Whom the request acts as: {@code requester} when it impersonates nobody.
     *
     * @throws StatusException 403 when the requester may not impersonate what it asks for, 400
     *                         when it asks for groups or extras without a user
     */
    public UserInfo actingAs(UserInfo requester, Request request) {
        if (!request.any()) {
            return requester;
        }
        if (request.user() == null || request.user().isEmpty()) {
            throw StatusException.badRequest("requested " + describe(request) + " without impersonating a user");
        }
        String name = request.user();
        List<String> groups = new ArrayList<>(request.groups());
        String[] serviceAccount = serviceAccount(name);
        if (serviceAccount != null) {
            check(requester, "", "serviceaccounts", "", serviceAccount[0], serviceAccount[1]);
            if (groups.isEmpty()) {
                groups.add("system:serviceaccounts");
                groups.add("system:serviceaccounts:" + serviceAccount[0]);
            }
        } else {
            check(requester, "", "users", "", "", name);
        }
        for (String group : request.groups()) {
            check(requester, "", "groups", "", "", group);
        }
        for (Map.Entry<String, List<String>> extra : request.extra().entrySet()) {
            for (String value : extra.getValue()) {
                check(requester, AUTHENTICATION_GROUP, "userextras", extra.getKey(), "", value);
            }
        }
        if (request.uid() != null) {
            check(requester, AUTHENTICATION_GROUP, "uids", "", "", request.uid());
        }
        if (!name.equals(UserInfo.ANONYMOUS.name()) && !groups.contains(UserInfo.AUTHENTICATED)
                && !groups.contains(UserInfo.UNAUTHENTICATED)) {
            groups.add(UserInfo.AUTHENTICATED);
        }
        return new UserInfo(name, request.uid() == null ? "" : request.uid(), groups,
                new LinkedHashMap<>(request.extra()));
    }

    private void check(UserInfo requester, String group, String resource, String subresource, String namespace,
                       String name) {
        Attributes impersonate = Attributes.resource(requester, "impersonate", group, resource, subresource,
                namespace, name);
        Decision decision = authorizer.authorize(impersonate);
        if (!decision.allowed()) {
            throw Forbidden.of(impersonate, decision.reason());
        }
    }

    /** [namespace, name] of a service account user name, or null. */
    private static String[] serviceAccount(String user) {
        if (!user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            return null;
        }
        String[] parts = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
        return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts : null;
    }

    private static String describe(Request request) {
        List<String> parts = new ArrayList<>();
        request.groups().forEach(g -> parts.add("Impersonate-Group: " + g));
        request.extra().forEach((k, v) -> parts.add("Impersonate-Extra-" + k + ": " + String.join(",", v)));
        if (request.uid() != null) {
            parts.add("Impersonate-Uid: " + request.uid());
        }
        return "[" + String.join(" ", parts) + "]";
    }
}
