package dev.konductor.apiserver.authn;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who a request comes from, as upstream's user.Info: a name, a uid (service accounts have one),
 * groups (every authenticated user is in {@code system:authenticated}) and extra attributes
 * (the pod and credential behind a bound token).
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    /** Who a request without credentials is, as upstream's anonymous authenticator says. */
    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of(UNAUTHENTICATED), Map.of());

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups);
        extra = new TreeMap<>(extra);
    }

    /** A user with {@code groups} plus {@code system:authenticated}, as the union authenticator adds it. */
    public static UserInfo of(String name, List<String> groups) {
        List<String> all = new ArrayList<>(groups);
        if (!all.contains(AUTHENTICATED)) {
            all.add(AUTHENTICATED);
        }
        return new UserInfo(name, "", all, Map.of());
    }

    /** The authentication.k8s.io/v1 UserInfo of TokenReview and SelfSubjectReview statuses. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("username", name);
        if (!uid.isEmpty()) {
            json.put("uid", uid);
        }
        groups.forEach(json.putArray("groups")::add);
        if (!extra.isEmpty()) {
            ObjectNode out = json.putObject("extra");
            extra.forEach((key, values) -> values.forEach(out.putArray(key)::add));
        }
        return json;
    }
}
