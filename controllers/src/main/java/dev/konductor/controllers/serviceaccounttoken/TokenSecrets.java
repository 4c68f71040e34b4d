package dev.konductor.controllers.serviceaccounttoken;

import dev.konductor.api.serviceaccount.JsonWebSignature;
import dev.konductor.api.serviceaccount.LegacyTokenClaims;
import dev.konductor.api.serviceaccount.ObjectRef;
import dev.konductor.api.serviceaccount.SigningKey;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@code kubernetes.io/service-account-token} Secret should hold, as upstream's token
 * controller fills it: a legacy token for its account ({@code token}), the cluster CA
 * ({@code ca.crt}) and the namespace ({@code namespace}), plus the account's name and uid as
 * annotations. Pure.
 */
final class TokenSecrets {

    static final String TYPE = "kubernetes.io/service-account-token";
    static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
    static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";

    private TokenSecrets() {
    }

    static boolean isTokenSecret(Secret secret) {
        return TYPE.equals(secret.getType());
    }

    /** The account a token Secret is for, by its annotation ("" when it names none). */
    static String accountName(Secret secret) {
        return annotation(secret, NAME_ANNOTATION);
    }

    /**
     * Whether {@code account} is the one {@code secret} was made for: the named one, and if the
     * Secret already recorded a uid, that same account rather than a later one of the same name.
     */
    static boolean belongsTo(Secret secret, ServiceAccount account) {
        String uid = annotation(secret, UID_ANNOTATION);
        return accountName(secret).equals(account.getMetadata().getName())
                && (uid.isEmpty() || uid.equals(account.getMetadata().getUid()));
    }

    /**
     * The Secret filled in, or empty when it already holds a token, the current CA and its
     * namespace. {@code rootCa} may be null when the controller manager knows no CA.
     */
    static Optional<Secret> filled(Secret secret, ServiceAccount account, SigningKey key, String rootCa) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String namespace = secret.getMetadata().getNamespace();
        boolean needsToken = isBlank(data.get("token"));
        boolean needsNamespace = isBlank(data.get("namespace"));
        boolean needsCa = rootCa != null && !encode(rootCa).equals(data.get("ca.crt"));
        if (!needsToken && !needsNamespace && !needsCa) {
            return Optional.empty();
        }
        SecretBuilder updated = new SecretBuilder(secret).editMetadata()
                .addToAnnotations(NAME_ANNOTATION, account.getMetadata().getName())
                .addToAnnotations(UID_ANNOTATION, account.getMetadata().getUid())
                .endMetadata();
        if (needsToken) {
            LegacyTokenClaims claims = new LegacyTokenClaims(namespace,
                    new ObjectRef(account.getMetadata().getName(), account.getMetadata().getUid()),
                    secret.getMetadata().getName());
            updated.addToData("token", encode(JsonWebSignature.sign(claims.toJson(), key)));
        }
        if (needsNamespace) {
            updated.addToData("namespace", encode(namespace));
        }
        if (needsCa) {
            updated.addToData("ca.crt", encode(rootCa));
        }
        return Optional.of(updated.build());
    }

    private static String annotation(Secret secret, String name) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(name);
        return value == null ? "" : value;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isEmpty();
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
