package dev.konductor.apiserver.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.api.serviceaccount.JsonWebSignature;
import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service account identities through a real API server and the fabric8 client: TokenRequest, the
 * tokens authenticating (and ceasing to), the reviews, issuer discovery, and the admission
 * plugins that give pods their account and claims their class.
 */
class ServiceAccountTokensApiTest {

    private static final String API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    private static TestApiServer api;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
        admin = api.client();
        account("default", "default");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static void account(String namespace, String name) {
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(name).endMetadata().build()).create();
    }

    private static String token(String account, TokenRequest request) {
        return admin.serviceAccounts().inNamespace("default").withName(account).tokenRequest(request)
                .getStatus().getToken();
    }

    private static KubernetesClient clientWith(String token) {
        return api.client(new ConfigBuilder(api.config()).withOauthToken(token).build());
    }

    private static int statusOf(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (KubernetesClientException e) {
            return e.getCode();
        }
    }

    private static Pod pod(String name, String account) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withServiceAccountName(account).addNewInitContainer().withName("init").withImage("busybox")
                .endInitContainer().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec()
                .build();
    }

    @Test
    void requestedTokenAuthenticatesAsTheServiceAccount() {
        TokenRequest response = admin.serviceAccounts().inNamespace("default").withName("default")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().endSpec().build());
        String token = response.getStatus().getToken();

        assertThat(response.getSpec().getExpirationSeconds()).isEqualTo(3600L);
        assertThat(response.getSpec().getAudiences()).containsExactly(API_AUDIENCE);
        KubernetesClient asAccount = clientWith(token);
        // authenticated (a 401 otherwise), though RBAC grants the account nothing on pods
        assertThat(statusOf(() -> asAccount.pods().inNamespace("default").list())).isEqualTo(403);
        SelfSubjectReview whoami = asAccount.resource(new SelfSubjectReviewBuilder().build()).create();
        assertThat(whoami.getStatus().getUserInfo().getUsername()).isEqualTo("system:serviceaccount:default:default");
        assertThat(whoami.getStatus().getUserInfo().getGroups()).containsExactly("system:serviceaccounts",
                "system:serviceaccounts:default", "system:authenticated");
        assertThat(whoami.getStatus().getUserInfo().getUid())
                .isEqualTo(admin.serviceAccounts().inNamespace("default").withName("default").get().getMetadata().getUid());
    }

    @Test
    void badTokensAreUnauthorized() {
        String token = token("default", new TokenRequestBuilder().withNewSpec().endSpec().build());
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(statusOf(() -> clientWith(tampered).pods().inNamespace("default").list())).isEqualTo(401);
        assertThat(statusOf(() -> clientWith("no-such-token").pods().inNamespace("default").list())).isEqualTo(401);
    }

    @Test
    void tokenBoundToAPodDiesWithThePod() throws InterruptedException {
        account("default", "builder");
        Pod pod = admin.pods().inNamespace("default").resource(pod("build-1", "builder")).create();
        String token = token("builder", new TokenRequestBuilder().withNewSpec().withNewBoundObjectRef().withKind("Pod")
                .withApiVersion("v1").withName("build-1").withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec().build());
        KubernetesClient asPod = clientWith(token);
        assertThat(statusOf(() -> asPod.pods().inNamespace("default").list())).isEqualTo(403);
        SelfSubjectReview whoami = asPod.resource(new SelfSubjectReviewBuilder().build()).create();
        assertThat(whoami.getStatus().getUserInfo().getExtra().get("authentication.kubernetes.io/pod-name"))
                .containsExactly("build-1");

        admin.pods().inNamespace("default").withName("build-1").withGracePeriod(0).delete();

        // authentication reads the watch cache, which follows the store within moments
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (statusOf(() -> asPod.pods().inNamespace("default").list()) != 401 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(statusOf(() -> asPod.pods().inNamespace("default").list())).isEqualTo(401);
    }

    @Test
    void tokenForAnotherAudienceIsRefusedByTheApiButPassesItsReview() {
        String token = token("default", new TokenRequestBuilder().withNewSpec().withAudiences("vault").endSpec().build());
        assertThat(statusOf(() -> clientWith(token).pods().inNamespace("default").list())).isEqualTo(401);

        TokenReview forVault = admin.resource(new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences("vault").endSpec().build()).create();
        assertThat(forVault.getStatus().getAuthenticated()).isTrue();
        assertThat(forVault.getStatus().getAudiences()).containsExactly("vault");
        assertThat(forVault.getStatus().getUser().getUsername()).isEqualTo("system:serviceaccount:default:default");

        TokenReview forApi = admin.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
                .create();
        assertThat(forApi.getStatus().getAuthenticated()).isNotEqualTo(Boolean.TRUE);
        assertThat(forApi.getStatus().getError()).contains("invalid for the target audiences");
    }

    @Test
    void tooShortALifetimeIsInvalid() {
        assertThatThrownBy(() -> token("default", new TokenRequestBuilder().withNewSpec().withExpirationSeconds(60L)
                .endSpec().build()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("may not specify a duration less than 10 minutes");
                });
    }

    @Test
    void issuerPublishesTheKeyThatVerifiesItsTokens() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode configuration = mapper.readTree(api.request("GET", "/.well-known/openid-configuration", null, null,
                null).body());
        assertThat(configuration.path("issuer").asText()).isEqualTo(API_AUDIENCE);
        assertThat(configuration.path("jwks_uri").asText()).isEqualTo(api.url() + "/openid/v1/jwks");
        JsonNode jwk = mapper.readTree(api.request("GET", "/openid/v1/jwks", null, null, null).body())
                .path("keys").get(0);

        String token = token("default", new TokenRequestBuilder().withNewSpec().endSpec().build());
        JsonWebSignature.Parsed parsed = JsonWebSignature.parse(token).orElseThrow();
        assertThat(parsed.keyId()).isEqualTo(jwk.path("kid").asText());
        assertThat(JsonWebSignature.verify(parsed, SigningKey.of(null, publicKey(jwk)))).isTrue();
    }

    /** The public key a JWK describes, rebuilt the way an outside verifier would. */
    private static PublicKey publicKey(JsonNode jwk) throws Exception {
        Base64.Decoder decoder = Base64.getUrlDecoder();
        if (jwk.path("kty").asText().equals("RSA")) {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    new BigInteger(1, decoder.decode(jwk.path("n").asText())),
                    new BigInteger(1, decoder.decode(jwk.path("e").asText()))));
        }
        var parameters = java.security.AlgorithmParameters.getInstance("EC");
        parameters.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
        var spec = parameters.getParameterSpec(java.security.spec.ECParameterSpec.class);
        var point = new java.security.spec.ECPoint(new BigInteger(1, decoder.decode(jwk.path("x").asText())),
                new BigInteger(1, decoder.decode(jwk.path("y").asText())));
        return KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(point, spec));
    }

    @Test
    void podsGetTheirAccountsApiCredentialsMounted() {
        Pod created = admin.pods().inNamespace("default").resource(pod("web", null)).create();

        assertThat(created.getSpec().getServiceAccountName()).isEqualTo("default");
        Volume volume = created.getSpec().getVolumes().get(0);
        assertThat(volume.getName()).startsWith("kube-api-access-");
        assertThat(volume.getProjected().getDefaultMode()).isEqualTo(420);
        assertThat(volume.getProjected().getSources().get(0).getServiceAccountToken().getExpirationSeconds())
                .isEqualTo(3607L);
        for (var container : List.of(created.getSpec().getInitContainers().get(0), created.getSpec().getContainers().get(0))) {
            assertThat(container.getVolumeMounts()).singleElement().satisfies(m -> {
                assertThat(m.getName()).isEqualTo(volume.getName());
                assertThat(m.getMountPath()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
                assertThat(m.getReadOnly()).isTrue();
            });
        }
        // as upstream, managedFields hold what the request set, not what admission added after
        assertThat(created.getMetadata().getManagedFields()).singleElement().satisfies(entry ->
                assertThat(admin.getKubernetesSerialization().asJson(entry.getFieldsV1()))
                        .contains("\"f:containers\"").doesNotContain("kube-api-access").doesNotContain("f:volumes"));
    }

    @Test
    void podNamingAMissingAccountIsForbidden() {
        assertThatThrownBy(() -> admin.pods().inNamespace("default").resource(pod("orphan", "ghost")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("pods \"orphan\" is forbidden: error looking up "
                            + "service account default/ghost: serviceaccount \"ghost\" not found");
                });
    }

    @Test
    void claimsWithoutAClassGetTheDefaultStandardClass() {
        StorageClass standard = admin.storage().v1().storageClasses().withName("standard").get();
        assertThat(standard.getProvisioner()).isEqualTo("konductor.dev/hostpath");
        assertThat(standard.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
        assertThat(standard.getMetadata().getAnnotations())
                .containsEntry("storageclass.kubernetes.io/is-default-class", "true");

        var claim = admin.persistentVolumeClaims().inNamespace("default").resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build())
                .create();
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("standard");
    }
}
