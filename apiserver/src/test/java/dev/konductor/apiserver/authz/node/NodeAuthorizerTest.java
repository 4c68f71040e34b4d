package dev.konductor.apiserver.authz.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import dev.konductor.apiserver.authz.Decision;
import dev.konductor.apiserver.authz.bootstrap.ComponentRoles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A kubelet may read only what its own pods use, touch only its own Lease, and do what every node does. */
class NodeAuthorizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserInfo N1 = UserInfo.of("system:node:n1", List.of("system:nodes"));

    private final List<JsonNode> pods = new ArrayList<>();
    private final Map<String, JsonNode> claims = new java.util.HashMap<>();
    private final NodeAuthorizer authorizer = new NodeAuthorizer(new NodeRelations() {
        @Override
        public List<JsonNode> podsOn(String node, String namespace) {
            return podsOn(node).stream().filter(p -> p.path("metadata").path("namespace").asText().equals(namespace))
                    .toList();
        }

        @Override
        public List<JsonNode> podsOn(String node) {
            return pods.stream().filter(p -> p.path("spec").path("nodeName").asText().equals(node)).toList();
        }

        @Override
        public JsonNode persistentVolumeClaim(String namespace, String name) {
            return claims.get(namespace + "/" + name);
        }
    }, ComponentRoles.nodeRules());

    NodeAuthorizerTest() throws Exception {
        pods.add(JSON.readTree("""
                {"metadata": {"name": "web", "namespace": "shop"},
                 "spec": {"nodeName": "n1", "serviceAccountName": "web",
                   "imagePullSecrets": [{"name": "registry"}],
                   "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
                               {"name": "cfg", "projected": {"sources": [{"configMap": {"name": "settings"}}]}}],
                   "containers": [{"name": "c", "env": [{"name": "P",
                       "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]}]}}"""));
        claims.put("shop/data", JSON.readTree("{\"spec\": {\"volumeName\": \"pv-1\"}}"));
    }

    @Test
    void readsWhatItsPodsUseAndNothingElse() {
        assertThat(get("secrets", "shop", "db").allowed()).isTrue();
        assertThat(get("secrets", "shop", "registry").allowed()).isTrue();
        assertThat(get("configmaps", "shop", "settings").allowed()).isTrue();
        assertThat(get("persistentvolumeclaims", "shop", "data").allowed()).isTrue();
        assertThat(get("persistentvolumes", "", "pv-1").allowed()).isTrue();
        Decision other = get("secrets", "shop", "admin-token");
        assertThat(other.allowed()).isFalse();
        assertThat(other.reason()).isEqualTo("no relationship found between node 'n1' and this object");
        assertThat(authorizer.authorize(Attributes.resource(UserInfo.of("system:node:n2", List.of("system:nodes")),
                "get", "", "secrets", "", "shop", "db")).allowed()).isFalse();
        assertThat(authorizer.authorize(Attributes.resource(N1, "list", "", "secrets", "", "shop", "")).allowed())
                .isFalse();
    }

    @Test
    void tokensOnlyForItsPodsAccountsAndOnlyItsOwnLease() {
        assertThat(request("create", "", "serviceaccounts", "token", "shop", "web").allowed()).isTrue();
        assertThat(request("create", "", "serviceaccounts", "token", "shop", "default").allowed()).isFalse();
        assertThat(request("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "n1").allowed()).isTrue();
        assertThat(request("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "n2").reason())
                .isEqualTo("can only access node lease with the same name as the requesting node");
    }

    @Test
    void everyNodeMayDoTheNodeRulesAndListTlsSecretsForTheIngress() {
        assertThat(request("list", "", "pods", "", "", "").allowed()).isTrue();
        assertThat(request("patch", "", "nodes", "status", "", "n1").allowed()).isTrue();
        assertThat(request("create", "", "events", "", "shop", "").allowed()).isTrue();
        assertThat(request("update", "metrics.k8s.io", "pods", "", "shop", "web").allowed()).isTrue();
        assertThat(request("create", "apps", "deployments", "", "shop", "").allowed()).isFalse();
        Attributes tlsList = Attributes.resource(N1, "watch", "", "secrets", "", "", "")
                .withFieldSelector("type=kubernetes.io/tls");
        assertThat(authorizer.authorize(tlsList).allowed()).isTrue();
        assertThat(authorizer.authorize(tlsList.withFieldSelector("type=Opaque")).allowed()).isFalse();
    }

    @Test
    void otherUsersAreNotItsBusiness() {
        Decision decision = authorizer.authorize(Attributes.resource(UserInfo.of("system:node:n1", List.of()), "get",
                "", "secrets", "", "shop", "db"));
        assertThat(decision).isEqualTo(new Decision.NoOpinion(""));
    }

    private Decision get(String resource, String namespace, String name) {
        return request("get", "", resource, "", namespace, name);
    }

    private Decision request(String verb, String group, String resource, String sub, String namespace, String name) {
        return authorizer.authorize(Attributes.resource(N1, verb, group, resource, sub, namespace, name));
    }
}
