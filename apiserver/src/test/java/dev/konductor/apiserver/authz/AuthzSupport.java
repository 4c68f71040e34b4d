package dev.konductor.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** Service account clients and 403 messages for the authorization API tests. */
final class AuthzSupport {

    private AuthzSupport() {
    }

    /** A token for the account, made first if it does not exist. */
    static String token(KubernetesClient admin, String namespace, String account) {
        if (admin.serviceAccounts().inNamespace(namespace).withName(account).get() == null) {
            admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName(account).endMetadata().build()).create();
        }
        String[] token = new String[1];
        // TokenRequest reads the account from the cache, which follows the store within moments
        eventually(() -> {
            token[0] = admin.serviceAccounts().inNamespace(namespace).withName(account)
                    .tokenRequest(new TokenRequestBuilder().withNewSpec().endSpec().build()).getStatus().getToken();
            return true;
        });
        return token[0];
    }

    static KubernetesClient asServiceAccount(TestApiServer api, KubernetesClient admin, String namespace,
                                             String account) {
        return api.client(new ConfigBuilder(api.config()).withOauthToken(token(admin, namespace, account)).build());
    }

    /** The message of the 403 the call gets. */
    static String forbidden(Runnable call) {
        try {
            call.run();
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
            return e.getStatus().getMessage();
        }
        throw new AssertionError("the call was allowed");
    }

    /** RBAC reads the cache, which follows the store within moments. */
    static void eventually(Supplier<Boolean> allowed) {
        TestApiServer.await("RBAC sees the new binding", () -> {
            try {
                return allowed.get();
            } catch (KubernetesClientException e) {
                return false;
            }
        });
    }
}
