package dev.konductor.controllers.serviceaccounttoken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A dashboard tutorial's long-lived token, end to end against a real API server. */
class TokensControllerAgainstApiServerTest {

    @Test
    void tokenSecretGetsATokenThatAuthenticatesUntilItsAccountIsDeleted() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            ControllerSettings settings = ControllerSettings.defaults().withServiceAccountKey(api.serviceAccountKey());
            try (Informers informers = new Informers(client);
                 ControllerContext context = new ControllerContext(client, informers, Clock.systemUTC(), settings);
                 TokensController controller = new TokensController()) {
                controller.start(context);
                informers.startAll(10_000);
                client.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata()
                        .withName("admin-user").endMetadata().build()).create();
                client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
                        .withName("admin-user").addToAnnotations("kubernetes.io/service-account.name", "admin-user")
                        .endMetadata().withType("kubernetes.io/service-account-token").build()).create();

                Await.until("the token controller fills the secret", () -> {
                    Secret s = client.secrets().inNamespace("default").withName("admin-user").get();
                    return s.getData() != null && s.getData().containsKey("token");
                });
                Secret secret = client.secrets().inNamespace("default").withName("admin-user").get();
                String token = new String(Base64.getDecoder().decode(secret.getData().get("token")),
                        StandardCharsets.UTF_8);
                assertThat(new String(Base64.getDecoder().decode(secret.getData().get("namespace")),
                        StandardCharsets.UTF_8)).isEqualTo("default");
                try (KubernetesClient asUser = new KubernetesClientBuilder().withConfig(new ConfigBuilder(api.config())
                        .withOauthToken(token).build()).build()) {
                    assertThat(asUser.resource(new SelfSubjectReviewBuilder().build()).create().getStatus()
                            .getUserInfo().getUsername()).isEqualTo("system:serviceaccount:default:admin-user");

                    client.serviceAccounts().inNamespace("default").withName("admin-user").delete();

                    Await.until("the secret goes with its account",
                            () -> client.secrets().inNamespace("default").withName("admin-user").get() == null);
                    Await.until("and the token stops working", () -> {
                        try {
                            asUser.pods().inNamespace("default").list();
                            return false;
                        } catch (KubernetesClientException e) {
                            return e.getCode() == 401;
                        }
                    });
                }
            }
        }
    }
}
