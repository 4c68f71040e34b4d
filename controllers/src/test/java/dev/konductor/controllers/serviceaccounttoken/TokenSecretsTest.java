package dev.konductor.controllers.serviceaccounttoken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.api.serviceaccount.JsonWebSignature;
import dev.konductor.api.serviceaccount.SigningKey;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenSecretsTest {

    private static final SigningKey KEY = SigningKey.generate();
    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static ServiceAccount account(String uid) {
        return new ServiceAccountBuilder().withNewMetadata().withName("admin-user").withNamespace("kubernetes-dashboard")
                .withUid(uid).endMetadata().build();
    }

    private static Secret secret(String uidAnnotation) {
        SecretBuilder b = new SecretBuilder().withType("kubernetes.io/service-account-token").withNewMetadata()
                .withName("admin-user").withNamespace("kubernetes-dashboard")
                .addToAnnotations("kubernetes.io/service-account.name", "admin-user").endMetadata();
        if (uidAnnotation != null) {
            b.editMetadata().addToAnnotations("kubernetes.io/service-account.uid", uidAnnotation).endMetadata();
        }
        return b.build();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Test
    void emptySecretGetsALegacyTokenTheCaAndItsNamespace() {
        Secret filled = TokenSecrets.filled(secret(null), account("sa-1"), KEY, CA).orElseThrow();

        assertThat(decode(filled.getData().get("namespace"))).isEqualTo("kubernetes-dashboard");
        assertThat(decode(filled.getData().get("ca.crt"))).isEqualTo(CA);
        var payload = JsonWebSignature.parse(decode(filled.getData().get("token"))).orElseThrow().payload();
        assertThat(payload.path("iss").asText()).isEqualTo("kubernetes/serviceaccount");
        assertThat(payload.path("sub").asText()).isEqualTo("system:serviceaccount:kubernetes-dashboard:admin-user");
        assertThat(payload.path("kubernetes.io/serviceaccount/secret.name").asText()).isEqualTo("admin-user");
        assertThat(filled.getMetadata().getAnnotations()).containsEntry("kubernetes.io/service-account.uid", "sa-1");
    }

    @Test
    void filledSecretIsLeftAloneAndANewCaOnlyReplacesTheCa() {
        Secret filled = TokenSecrets.filled(secret(null), account("sa-1"), KEY, CA).orElseThrow();
        assertThat(TokenSecrets.filled(filled, account("sa-1"), KEY, CA)).isEmpty();

        Secret rotated = TokenSecrets.filled(filled, account("sa-1"), KEY, "other CA").orElseThrow();
        assertThat(rotated.getData().get("token")).isEqualTo(filled.getData().get("token"));
        assertThat(decode(rotated.getData().get("ca.crt"))).isEqualTo("other CA");
    }

    @Test
    void secretBelongsOnlyToTheAccountWhoseUidItRecorded() {
        assertThat(TokenSecrets.belongsTo(secret(null), account("sa-2"))).isTrue();
        assertThat(TokenSecrets.belongsTo(secret("sa-1"), account("sa-1"))).isTrue();
        assertThat(TokenSecrets.belongsTo(secret("sa-1"), account("sa-2"))).isFalse();
    }
}
