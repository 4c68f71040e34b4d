package dev.konductor.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.authn.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 403 messages kubectl prints, word for word as upstream's. */
class ForbiddenTest {

    private static final UserInfo ACCOUNT = UserInfo.of("system:serviceaccount:default:default", List.of());

    @Test
    void aNamespacedListNamesTheNamespace() {
        StatusException e = Forbidden.of(Attributes.resource(ACCOUNT, "list", "", "pods", "", "default", ""), "");
        assertThat(e.code()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("pods is forbidden: User \"system:serviceaccount:default:default\" "
                + "cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
    }

    @Test
    void aNamedClusterScopedObjectWithAReason() {
        StatusException e = Forbidden.of(Attributes.resource(ACCOUNT, "get", "apps", "deployments", "scale", "", "web"),
                "RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found");
        assertThat(e.getMessage()).isEqualTo("deployments.apps \"web\" is forbidden: User "
                + "\"system:serviceaccount:default:default\" cannot get resource \"deployments/scale\" in API group "
                + "\"apps\" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found");
    }

    @Test
    void aPath() {
        assertThat(Forbidden.of(Attributes.nonResource(UserInfo.ANONYMOUS, "get", "/api"), "").getMessage())
                .isEqualTo("forbidden: User \"system:anonymous\" cannot get path \"/api\"");
    }
}
