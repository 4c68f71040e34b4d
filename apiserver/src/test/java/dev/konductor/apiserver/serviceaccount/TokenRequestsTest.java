package dev.konductor.apiserver.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.serviceaccount.JsonWebSignature;
import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.api.serviceaccount.TokenClaims;
import dev.konductor.api.status.StatusException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenRequestsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SigningKey KEY = SigningKey.generate();
    private static final String ISSUER = TokenClaims.DEFAULT_ISSUER;
    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");

    private final Map<String, JsonNode> objects = new HashMap<>();
    private final TokenRequests requests = new TokenRequests(KEY, ISSUER, List.of(ISSUER),
            (plural, namespace, name) -> objects.get(plural + "/" + namespace + "/" + name),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void object(String plural, String namespace, String name, String uid, String spec) {
        objects.put(plural + "/" + namespace + "/" + name, json("{'metadata':{'name':'" + name + "','uid':'" + uid
                + "'},'spec':" + spec + "}"));
    }

    private static JsonNode payload(ObjectNode response) {
        return JsonWebSignature.parse(response.at("/status/token").asText()).orElseThrow().payload();
    }

    @Test
    void defaultsToAnHourForTheApiServer() {
        object("serviceaccounts", "default", "default", "sa-1", "{}");

        ObjectNode response = requests.issue("default", "default", json("{'spec':{}}"));

        assertThat(response.at("/kind").asText()).isEqualTo("TokenRequest");
        assertThat(response.at("/spec/expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(response.at("/spec/audiences/0").asText()).isEqualTo(ISSUER);
        assertThat(response.at("/status/expirationTimestamp").asText()).isEqualTo("2025-06-01T11:00:00Z");
        JsonNode claims = payload(response);
        assertThat(claims.at("/sub").asText()).isEqualTo("system:serviceaccount:default:default");
        assertThat(claims.at("/exp").asLong() - claims.at("/iat").asLong()).isEqualTo(3600);
        assertThat(claims.at("/kubernetes.io/serviceaccount/uid").asText()).isEqualTo("sa-1");
        assertThat(claims.at("/kubernetes.io/pod").isMissingNode()).isTrue();
    }

    @Test
    void lifetimeMustBeBetweenTenMinutesAndTwoToTheThirtySecondSeconds() {
        object("serviceaccounts", "default", "default", "sa-1", "{}");
        assertThatThrownBy(() -> requests.issue("default", "default", json("{'spec':{'expirationSeconds':599}}")))
                .hasMessage("TokenRequest.authentication.k8s.io \"default\" is invalid: spec.expirationSeconds: "
                        + "Invalid value: 599: may not specify a duration less than 10 minutes");
        assertThatThrownBy(() -> requests.issue("default", "default",
                json("{'spec':{'expirationSeconds':4294967297}}")))
                .hasMessageEndingWith("may not specify a duration larger than 2^32 seconds");
        assertThat(requests.issue("default", "default", json("{'spec':{'expirationSeconds':600}}"))
                .at("/status/expirationTimestamp").asText()).isEqualTo("2025-06-01T10:10:00Z");
    }

    @Test
    void unknownAccountIsNotFound() {
        assertThatThrownBy(() -> requests.issue("default", "ghost", json("{}")))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(404))
                .hasMessage("serviceaccounts \"ghost\" not found");
    }

    @Test
    void kubeletsPodTokenIsExtendedToAYearWithAWarning() {
        object("serviceaccounts", "shop", "default", "sa-1", "{}");
        object("pods", "shop", "web-0", "pod-1", "{'serviceAccountName':'default','nodeName':'node-a'}");
        object("nodes", "null", "node-a", "node-1", "{}");

        ObjectNode response = requests.issue("shop", "default", json("{'spec':{'expirationSeconds':3607,"
                + "'boundObjectRef':{'kind':'Pod','apiVersion':'v1','name':'web-0','uid':'pod-1'}}}"));

        JsonNode claims = payload(response);
        assertThat(claims.at("/kubernetes.io/pod")).isEqualTo(json("{'name':'web-0','uid':'pod-1'}"));
        assertThat(claims.at("/kubernetes.io/node")).isEqualTo(json("{'name':'node-a','uid':'node-1'}"));
        assertThat(claims.at("/kubernetes.io/warnafter").asLong()).isEqualTo(NOW.getEpochSecond() + 3607);
        assertThat(claims.at("/exp").asLong()).isEqualTo(NOW.getEpochSecond() + 365L * 24 * 3600);
        assertThat(response.at("/status/expirationTimestamp").asText()).isEqualTo("2025-06-01T11:00:07Z");
    }

    @Test
    void podMustRunAsTheAccountAndMatchTheUid() {
        object("serviceaccounts", "shop", "default", "sa-1", "{}");
        object("serviceaccounts", "shop", "builder", "sa-2", "{}");
        object("pods", "shop", "web-0", "pod-1", "{'serviceAccountName':'default'}");

        assertThatThrownBy(() -> requests.issue("shop", "builder", json("{'spec':{'boundObjectRef':"
                + "{'kind':'Pod','apiVersion':'v1','name':'web-0'}}}")))
                .hasMessage("cannot bind token for serviceaccount \"builder\" to pod running with different "
                        + "serviceaccount name.");
        assertThatThrownBy(() -> requests.issue("shop", "default", json("{'spec':{'boundObjectRef':"
                + "{'kind':'Pod','apiVersion':'v1','name':'web-0','uid':'old'}}}")))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(409));
        assertThatThrownBy(() -> requests.issue("shop", "default", json("{'spec':{'boundObjectRef':"
                + "{'kind':'ConfigMap','apiVersion':'v1','name':'x'}}}")))
                .hasMessage("cannot bind token to object of type v1, Kind=ConfigMap");
    }

    @Test
    void secretBoundTokenNamesTheSecret() {
        object("serviceaccounts", "shop", "default", "sa-1", "{}");
        object("secrets", "shop", "ci", "secret-1", "{}");
        JsonNode claims = payload(requests.issue("shop", "default", json("{'spec':{'audiences':['vault'],"
                + "'boundObjectRef':{'kind':'Secret','apiVersion':'v1','name':'ci'}}}")));
        assertThat(claims.at("/kubernetes.io/secret")).isEqualTo(json("{'name':'ci','uid':'secret-1'}"));
        assertThat(claims.at("/aud")).isEqualTo(json("{'a':['vault']}").get("a"));
    }

    @Test
    void bodyMayNotNameAnotherAccount() {
        object("serviceaccounts", "default", "default", "sa-1", "{}");
        assertThatThrownBy(() -> requests.issue("default", "default", json("{'metadata':{'name':'admin'}}")))
                .hasMessageContaining("metadata.name: Invalid value: \"admin\": must match the service account name");
    }
}
