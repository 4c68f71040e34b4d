package dev.konductor.api.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceAccountTokensTest {

    private static final String ISSUER = TokenClaims.DEFAULT_ISSUER;
    private static final SigningKey RSA = rsaKey();
    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");

    private static BoundTokenClaims podBound(Instant issued, Duration lifetime) {
        return new BoundTokenClaims(ISSUER, List.of(ISSUER), issued, issued, issued.plus(lifetime), "default",
                new ObjectRef("default", "sa-uid"), new ObjectRef("web-0", "pod-uid"), null,
                new ObjectRef("node-1", "node-uid"), issued.plusSeconds(3607), "jti-1");
    }

    /** An RSA key as kubeadm's default makes it: this server makes P-256 keys, but verifies both. */
    private static SigningKey rsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return SigningKey.of(generator.generateKeyPair());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TokenVerifier verifierAt(Instant now, SigningKey... keys) {
        return new TokenVerifier(ISSUER, List.of(keys), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void boundClaimsHaveUpstreamsLayout() {
        ObjectNode json = podBound(NOW, Duration.ofHours(1)).toJson();
        assertThat(json.toString()).isEqualTo("{\"aud\":[\"https://kubernetes.default.svc.cluster.local\"],"
                + "\"exp\":1748775600,\"iat\":1748772000,\"iss\":\"https://kubernetes.default.svc.cluster.local\","
                + "\"jti\":\"jti-1\",\"kubernetes.io\":{\"namespace\":\"default\","
                + "\"node\":{\"name\":\"node-1\",\"uid\":\"node-uid\"},\"pod\":{\"name\":\"web-0\",\"uid\":\"pod-uid\"},"
                + "\"serviceaccount\":{\"name\":\"default\",\"uid\":\"sa-uid\"},\"warnafter\":1748775607},"
                + "\"nbf\":1748772000,\"sub\":\"system:serviceaccount:default:default\"}");
    }

    @Test
    void legacyClaimsHaveUpstreamsLayout() {
        ObjectNode json = new LegacyTokenClaims("kube-system", new ObjectRef("admin", "sa-uid"), "admin-token").toJson();
        assertThat(json.toString()).isEqualTo("{\"iss\":\"kubernetes/serviceaccount\","
                + "\"kubernetes.io/serviceaccount/namespace\":\"kube-system\","
                + "\"kubernetes.io/serviceaccount/secret.name\":\"admin-token\","
                + "\"kubernetes.io/serviceaccount/service-account.name\":\"admin\","
                + "\"kubernetes.io/serviceaccount/service-account.uid\":\"sa-uid\","
                + "\"sub\":\"system:serviceaccount:kube-system:admin\"}");
    }

    @Test
    void signedTokenVerifiesAndReadsBack() {
        BoundTokenClaims claims = podBound(NOW, Duration.ofHours(1));
        String token = JsonWebSignature.sign(claims.toJson(), RSA);

        var verdict = verifierAt(NOW.plusSeconds(30), RSA.publicOnly()).verify(token, List.of(ISSUER));

        assertThat(verdict).isEqualTo(new TokenVerifier.Verdict.Verified(claims, List.of(ISSUER)));
        JsonWebSignature.Parsed parsed = JsonWebSignature.parse(token).orElseThrow();
        assertThat(parsed.algorithm()).isEqualTo("RS256");
        assertThat(parsed.keyId()).isEqualTo(RSA.keyId()).hasSize(43).doesNotContain("=", "+", "/");
    }

    @Test
    void p256KeysSignWithEs256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        SigningKey ec = SigningKey.of(generator.generateKeyPair());
        String token = JsonWebSignature.sign(podBound(NOW, Duration.ofHours(1)).toJson(), ec);

        assertThat(ec.algorithm()).isEqualTo("ES256");
        assertThat(JsonWebSignature.parse(token).orElseThrow().signature()).hasSize(64);
        assertThat(verifierAt(NOW, ec).verify(token, List.of(ISSUER)))
                .isInstanceOf(TokenVerifier.Verdict.Verified.class);
        assertThat(verifierAt(NOW, RSA).verify(token, List.of(ISSUER)))
                .isEqualTo(new TokenVerifier.Verdict.Invalid("token signature is invalid"));
    }

    @Test
    void tamperedPayloadIsRefused() {
        String token = JsonWebSignature.sign(podBound(NOW, Duration.ofHours(1)).toJson(), RSA);
        String[] parts = token.split("\\.");
        String forged = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("system:serviceaccount:default:default", "system:serviceaccount:default:admin");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThat(verifierAt(NOW, RSA).verify(tampered, List.of(ISSUER)))
                .isEqualTo(new TokenVerifier.Verdict.Invalid("token signature is invalid"));
    }

    @Test
    void unsignedTokenCannotChooseItsAlgorithm() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(podBound(NOW, Duration.ofHours(1)).toJson().toString().getBytes());
        assertThat(verifierAt(NOW, RSA).verify(header + "." + payload + ".AAAA", List.of(ISSUER)))
                .isInstanceOf(TokenVerifier.Verdict.Invalid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-jwt", "a.b.c", "static-token-from-a-file", ""})
    void otherTokensAreLeftToOtherAuthenticators(String token) {
        assertThat(verifierAt(NOW, RSA).verify(token, List.of(ISSUER))).isEqualTo(new TokenVerifier.Verdict.NotOurs());
    }

    @Test
    void tokenOfAnotherIssuerIsNotOurs() {
        BoundTokenClaims foreign = new BoundTokenClaims("https://oidc.example.com", List.of(ISSUER), NOW, NOW,
                NOW.plusSeconds(600), "default", new ObjectRef("default", "u"), null, null, null, null, "");
        assertThat(verifierAt(NOW, RSA).verify(JsonWebSignature.sign(foreign.toJson(), RSA), List.of(ISSUER)))
                .isEqualTo(new TokenVerifier.Verdict.NotOurs());
    }

    @Test
    void expiryAllowsOneMinuteOfClockSkew() {
        String token = JsonWebSignature.sign(podBound(NOW, Duration.ofMinutes(10)).toJson(), RSA);
        Instant expiry = NOW.plus(Duration.ofMinutes(10));

        assertThat(verifierAt(expiry.plusSeconds(59), RSA).verify(token, List.of(ISSUER)))
                .isInstanceOf(TokenVerifier.Verdict.Verified.class);
        assertThat(verifierAt(expiry.plusSeconds(61), RSA).verify(token, List.of(ISSUER)))
                .isEqualTo(new TokenVerifier.Verdict.Invalid("service account token has expired"));
        assertThat(verifierAt(NOW.minusSeconds(120), RSA).verify(token, List.of(ISSUER)))
                .isEqualTo(new TokenVerifier.Verdict.Invalid("service account token is not valid yet"));
    }

    @Test
    void audienceMustBeOneOfThoseWanted() {
        BoundTokenClaims vault = new BoundTokenClaims(ISSUER, List.of("vault", "nats"), NOW, NOW, NOW.plusSeconds(600),
                "default", new ObjectRef("default", "u"), null, null, null, null, "");
        String token = JsonWebSignature.sign(vault.toJson(), RSA);

        assertThat(verifierAt(NOW, RSA).verify(token, List.of(ISSUER))).isEqualTo(new TokenVerifier.Verdict.Invalid(
                "token audiences [\"vault\", \"nats\"] is invalid for the target audiences "
                        + "[\"https://kubernetes.default.svc.cluster.local\"]"));
        assertThat(verifierAt(NOW, RSA).verify(token, List.of("nats", "other")))
                .isEqualTo(new TokenVerifier.Verdict.Verified(vault, List.of("nats")));
    }

    @Test
    void legacyTokensNeverExpireAndSuitAnyAudience() {
        LegacyTokenClaims legacy = new LegacyTokenClaims("default", new ObjectRef("ci", "u"), "ci-token");
        String token = JsonWebSignature.sign(legacy.toJson(), RSA);

        assertThat(verifierAt(NOW.plus(Duration.ofDays(3650)), RSA).verify(token, List.of(ISSUER)))
                .isEqualTo(new TokenVerifier.Verdict.Verified(legacy, List.of(ISSUER)));
    }

    @Test
    void subjectMustAgreeWithTheServiceAccountClaims() {
        ObjectNode json = podBound(NOW, Duration.ofHours(1)).toJson();
        json.put("sub", "system:serviceaccount:kube-system:admin");
        assertThat(verifierAt(NOW, RSA).verify(JsonWebSignature.sign(json, RSA), List.of(ISSUER)))
                .isEqualTo(new TokenVerifier.Verdict.Invalid("service account token claims are incomplete"));
    }
}
