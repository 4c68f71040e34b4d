package dev.konductor.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each URL and method asks to do, as upstream's RequestInfoFactory reads it. */
class RequestAttributesTest {

    private static final UserInfo JANE = UserInfo.of("jane", List.of());

    @ParameterizedTest(name = "{0} {1}{2} -> {3} {4}/{5} {6}/{7}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /api/v1/namespaces/default/pods           |                | list  | | pods        | default |",
            "GET    | /api/v1/namespaces/default/pods           | watch=true     | watch | | pods        | default |",
            "GET    | /api/v1/namespaces/default/pods/web       |                | get   | | pods        | default | web",
            "POST   | /api/v1/namespaces/default/pods           |                | create | | pods       | default |",
            "PUT    | /api/v1/namespaces/default/pods/web       |                | update | | pods       | default | web",
            "PATCH  | /apis/apps/v1/namespaces/x/deployments/d/scale |           | patch | apps | deployments/scale | x | d",
            "DELETE | /api/v1/namespaces/default/pods/web       |                | delete | | pods       | default | web",
            "DELETE | /api/v1/namespaces/default/pods           |                | deletecollection | | pods | default |",
            "GET    | /api/v1/namespaces/default/pods/web/log   |                | get   | | pods/log    | default | web",
            "GET    | /api/v1/namespaces/default/pods/web/exec  | command=sh     | create | | pods/exec  | default | web",
            "POST   | /api/v1/namespaces/default/pods/web/portforward |          | create | | pods/portforward | default | web",
            "POST   | /api/v1/namespaces/default/pods/web/eviction |             | create | | pods/eviction | default | web",
            "POST   | /api/v1/namespaces/default/serviceaccounts/sa/token |      | create | | serviceaccounts/token | default | sa",
            "GET    | /api/v1/namespaces/default/services/web/proxy/a/b |        | get   | | services/proxy | default | web",
            "GET    | /api/v1/nodes                             |                | list  | | nodes       |         |",
            "GET    | /api/v1/namespaces/shop                   |                | get   | | namespaces  | shop    | shop",
            "PUT    | /api/v1/namespaces/shop/finalize          |                | update | | namespaces/finalize | shop | shop",
            "GET    | /api/v1/namespaces/default/configmaps     | fieldSelector=metadata.name%3Dsettings | list | | configmaps | default | settings",
            "GET    | /api/v1/pods                              | fieldSelector=spec.nodeName%3Dn1 | list | | pods | |",
    })
    void resourceRequests(String method, String path, String query, String verb, String group, String resource,
                          String namespace, String name) {
        Attributes a = RequestAttributes.of(method, path, params(query), JANE);
        assertThat(a.resourceRequest()).isTrue();
        assertThat(a.verb()).isEqualTo(verb);
        assertThat(a.apiGroup()).isEqualTo(group == null ? "" : group);
        assertThat(a.combinedResource()).isEqualTo(resource);
        assertThat(a.namespace()).isEqualTo(namespace == null ? "" : namespace);
        assertThat(a.name()).isEqualTo(name == null ? "" : name);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({"GET, /api, get", "GET, /apis/apps/v1, get", "GET, /healthz, get", "GET, /version, get",
            "GET, /openapi/v3, get", "POST, /logs, post"})
    void pathsOutsideTheResourcesAreNonResourceRequests(String method, String path, String verb) {
        Attributes a = RequestAttributes.of(method, path, Map.of(), JANE);
        assertThat(a.resourceRequest()).isFalse();
        assertThat(a.verb()).isEqualTo(verb);
        assertThat(a.path()).isEqualTo(path);
    }

    private static Map<String, List<String>> params(String query) {
        if (query == null) {
            return Map.of();
        }
        String[] kv = query.split("=", 2);
        return Map.of(kv[0], List.of(java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8)));
    }
}
