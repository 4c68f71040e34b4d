package dev.konductor.apiserver.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.api.serviceaccount.BoundTokenClaims;
import dev.konductor.api.serviceaccount.JsonWebSignature;
import dev.konductor.api.serviceaccount.LegacyTokenClaims;
import dev.konductor.api.serviceaccount.ObjectRef;
import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.api.serviceaccount.TokenClaims;
import dev.konductor.api.serviceaccount.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceAccountTokenAuthenticatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SigningKey KEY = SigningKey.generate();
    private static final String ISSUER = TokenClaims.DEFAULT_ISSUER;
    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");

    private final Map<String, JsonNode> objects = new HashMap<>();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ServiceAccountTokenAuthenticator authenticator = new ServiceAccountTokenAuthenticator(
            new TokenVerifier(ISSUER, List.of(KEY.publicOnly()), clock),
            (plural, namespace, name) -> objects.get(plural + "/" + namespace + "/" + name), clock);

    private void object(String plural, String name, String uid, String extraMeta, String body) {
        try {
            objects.put(plural + "/shop/" + name, MAPPER.readTree(("{'metadata':{'name':'" + name + "','uid':'" + uid
                    + "'" + extraMeta + "}" + body + "}").replace('\'', '"')));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String podToken(String podUid) {
        return JsonWebSignature.sign(new BoundTokenClaims(ISSUER, List.of(ISSUER), NOW, NOW, NOW.plusSeconds(3600),
                "shop", new ObjectRef("web", "sa-1"), new ObjectRef("web-0", podUid), null,
                new ObjectRef("node-a", "node-1"), null, "jti-9").toJson(), KEY);
    }

    private TokenAuthenticator.Outcome authenticate(String token) {
        return authenticator.authenticate(token, List.of(ISSUER));
    }

    @Test
    void boundTokenAuthenticatesAsTheAccountWithItsPod() {
        object("serviceaccounts", "web", "sa-1", "", "");
        object("pods", "web-0", "pod-1", "", "");

        var outcome = (TokenAuthenticator.Outcome.Authenticated) authenticate(podToken("pod-1"));

        assertThat(outcome.user()).isEqualTo(new UserInfo("system:serviceaccount:shop:web", "sa-1",
                List.of("system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"),
                Map.of("authentication.kubernetes.io/pod-name", List.of("web-0"),
                        "authentication.kubernetes.io/pod-uid", List.of("pod-1"),
                        "authentication.kubernetes.io/node-name", List.of("node-a"),
                        "authentication.kubernetes.io/node-uid", List.of("node-1"),
                        "authentication.kubernetes.io/credential-id", List.of("JTI=jti-9"))));
        assertThat(outcome.audiences()).containsExactly(ISSUER);
    }

    @Test
    void tokenDiesWithItsPod() {
        object("serviceaccounts", "web", "sa-1", "", "");
        assertThat(authenticate(podToken("pod-1")))
                .isEqualTo(new TokenAuthenticator.Outcome.Rejected("Pod shop/web-0 not found"));

        object("pods", "web-0", "pod-2", "", "");
        assertThat(authenticate(podToken("pod-1")))
                .isEqualTo(new TokenAuthenticator.Outcome.Rejected("Pod UID (pod-2) does not match claim (pod-1)"));
    }

    @Test
    void podBeingDeletedStillCountsForAMinute() {
        object("serviceaccounts", "web", "sa-1", "", "");
        object("pods", "web-0", "pod-1", ",'deletionTimestamp':'2025-06-01T09:59:30Z'", "");
        assertThat(authenticate(podToken("pod-1"))).isInstanceOf(TokenAuthenticator.Outcome.Authenticated.class);

        object("pods", "web-0", "pod-1", ",'deletionTimestamp':'2025-06-01T09:58:30Z'", "");
        assertThat(authenticate(podToken("pod-1")))
                .isEqualTo(new TokenAuthenticator.Outcome.Rejected("Pod shop/web-0 has been deleted"));
    }

    @Test
    void recreatedAccountDoesNotReviveOldTokens() {
        object("serviceaccounts", "web", "sa-2", "", "");
        object("pods", "web-0", "pod-1", "", "");
        assertThat(authenticate(podToken("pod-1"))).isEqualTo(
                new TokenAuthenticator.Outcome.Rejected("ServiceAccount UID (sa-2) does not match claim (sa-1)"));
    }

    @Test
    void legacyTokenIsValidWhileItsSecretHoldsIt() {
        String token = JsonWebSignature.sign(new LegacyTokenClaims("shop", new ObjectRef("ci", "sa-3"), "ci-token")
                .toJson(), KEY);
        String stored = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        object("serviceaccounts", "ci", "sa-3", "", "");
        object("secrets", "ci-token", "s-1", "", ",'data':{'token':'" + stored + "'}");

        var outcome = (TokenAuthenticator.Outcome.Authenticated) authenticate(token);
        assertThat(outcome.user().name()).isEqualTo("system:serviceaccount:shop:ci");
        assertThat(outcome.user().extra()).isEmpty();

        object("secrets", "ci-token", "s-1", "", ",'data':{'token':'b3RoZXI='}");
        assertThat(authenticate(token)).isEqualTo(new TokenAuthenticator.Outcome.Rejected("Token has been invalidated"));
        objects.remove("secrets/shop/ci-token");
        assertThat(authenticate(token))
                .isEqualTo(new TokenAuthenticator.Outcome.Rejected("secret shop/ci-token not found"));
    }

    @Test
    void foreignTokensAreLeftForOthers() {
        assertThat(authenticate("my-static-token")).isEqualTo(new TokenAuthenticator.Outcome.Unknown());
    }
}
