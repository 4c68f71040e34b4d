package dev.konductor.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.authn.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kubectl --as and --as-group: who a request acts as, and what impersonating takes. */
class ImpersonationTest {

    private final List<Attributes> asked = new ArrayList<>();
    private final UserInfo admin = UserInfo.of("admin", List.of("system:masters"));

    @Test
    void aServiceAccountGetsItsGroupsAndAuthenticated() {
        UserInfo actingAs = allowAll().actingAs(admin, request("system:serviceaccount:shop:reader", List.of()));
        assertThat(actingAs.name()).isEqualTo("system:serviceaccount:shop:reader");
        assertThat(actingAs.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:shop",
                "system:authenticated");
        assertThat(asked).singleElement().satisfies(a -> {
            assertThat(a.verb()).isEqualTo("impersonate");
            assertThat(a.resource()).isEqualTo("serviceaccounts");
            assertThat(a.namespace()).isEqualTo("shop");
            assertThat(a.name()).isEqualTo("reader");
        });
    }

    @Test
    void aUserWithGroupsNeedsEachOfThem() {
        UserInfo actingAs = allowAll().actingAs(admin, request("jane", List.of("developers")));
        assertThat(actingAs.groups()).containsExactly("developers", "system:authenticated");
        assertThat(asked).extracting(Attributes::resource, Attributes::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("users", "jane"),
                        org.assertj.core.groups.Tuple.tuple("groups", "developers"));
    }

    @Test
    void withoutPermissionItIsForbiddenAndWithoutAUserABadRequest() {
        Impersonation none = new Impersonation(a -> new Decision.NoOpinion(""));
        assertThatThrownBy(() -> none.actingAs(UserInfo.of("bob", List.of()), request("jane", List.of())))
                .isInstanceOf(StatusException.class).hasMessage("users \"jane\" is forbidden: User \"bob\" cannot "
                        + "impersonate resource \"users\" in API group \"\" at the cluster scope");
        assertThatThrownBy(() -> none.actingAs(admin, request(null, List.of("developers"))))
                .hasMessage("requested [Impersonate-Group: developers] without impersonating a user");
    }

    @Test
    void noHeadersIsTheRequesterThemself() {
        assertThat(allowAll().actingAs(admin, request(null, List.of()))).isSameAs(admin);
        assertThat(asked).isEmpty();
    }

    private Impersonation allowAll() {
        return new Impersonation(a -> {
            asked.add(a);
            return new Decision.Allow("");
        });
    }

    private static Impersonation.Request request(String user, List<String> groups) {
        return new Impersonation.Request(user, groups, null, Map.of());
    }
}
