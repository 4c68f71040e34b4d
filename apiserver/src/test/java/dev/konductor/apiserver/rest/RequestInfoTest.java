package dev.konductor.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestInfoTest {

    @Test
    void pathsNameGroupVersionNamespaceResourceNameAndSubresource() {
        assertThat(RequestInfo.parse("/apis/apps/v1/namespaces/default/deployments/web/scale"))
                .isEqualTo(new RequestInfo("apps", "v1", "default", "deployments", "web", "scale"));
        assertThat(RequestInfo.parse("/api/v1/namespaces/default"))
                .isEqualTo(new RequestInfo("", "v1", null, "namespaces", "default", null));
        assertThat(RequestInfo.parse("/api/v1/nodes/n1/proxy/metrics/resource"))
                .isEqualTo(new RequestInfo("", "v1", null, "nodes", "n1", "proxy/metrics/resource"));
        assertThat(RequestInfo.parse("/api/v1")).isNull();
    }

    @Test
    void slashesAtEitherEndAreIgnored() {
        assertThat(RequestInfo.segments("/api/v1/")).containsExactly("api", "v1");
        assertThat(RequestInfo.segments("//apis//")).containsExactly("apis");
        assertThat(RequestInfo.segments("/")).containsExactly("");
        assertThat(RequestInfo.parse("//api/v1/pods//")).isEqualTo(new RequestInfo("", "v1", null, "pods", null, null));
    }
}
