package dev.konductor.apiserver.authz;

import static dev.konductor.apiserver.authz.AuthzSupport.forbidden;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access reviews, impersonation, anonymous requests, the Node authorizer and
 * componentstatuses, against a real API server.
 */
class AccessReviewsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestApiServer api;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
        admin = api.client();
        AuthzSupport.token(admin, "default", "default"); // pods run as it
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void selfSubjectAccessReviewAnswersForTheCaller() {
        SelfSubjectAccessReview asAdmin = admin.resource(new SelfSubjectAccessReviewBuilder().withNewSpec()
                .withNewResourceAttributes().withNamespace("default").withVerb("create").withResource("pods")
                .endResourceAttributes().endSpec().build()).create();
        assertThat(asAdmin.getStatus().getAllowed()).isTrue();

        KubernetesClient account = asAccount("default", "checker");
        SelfSubjectAccessReview asAccount = account.resource(new SelfSubjectAccessReviewBuilder().withNewSpec()
                .withNewResourceAttributes().withNamespace("default").withVerb("delete").withResource("pods")
                .endResourceAttributes().endSpec().build()).create();
        assertThat(asAccount.getStatus().getAllowed()).isFalse();
        SelfSubjectAccessReview discovery = account.resource(new SelfSubjectAccessReviewBuilder().withNewSpec()
                .withNewNonResourceAttributes().withPath("/apis").withVerb("get").endNonResourceAttributes()
                .endSpec().build()).create();
        assertThat(discovery.getStatus().getAllowed()).isTrue();
        assertThat(discovery.getStatus().getReason()).isEqualTo("RBAC: allowed by ClusterRoleBinding "
                + "\"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\"");
    }

    @Test
    void subjectAccessReviewAsksAboutAnyoneAndIsValidated() {
        SubjectAccessReview review = admin.resource(new SubjectAccessReviewBuilder().withNewSpec()
                .withUser("jane").withGroups("system:authenticated").withNewResourceAttributes()
                .withNamespace("default").withVerb("create").withGroup("authorization.k8s.io")
                .withResource("selfsubjectrulesreviews").endResourceAttributes().endSpec().build()).create();
        assertThat(review.getStatus().getAllowed()).isTrue();

        TestApiServer.Response invalid = api.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                "application/json", "application/json", "{\"apiVersion\":\"authorization.k8s.io/v1\","
                        + "\"kind\":\"SubjectAccessReview\",\"spec\":{}}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body()).contains("spec.resourceAttributes: Invalid value: null: exactly one of "
                + "nonResourceAttributes or resourceAttributes must be specified")
                .contains("at least one of user or group must be specified");

        TestApiServer.Response local = api.request("POST",
                "/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews", "application/json",
                "application/json", "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"LocalSubjectAccessReview\","
                        + "\"spec\":{\"user\":\"jane\",\"resourceAttributes\":{\"namespace\":\"other\","
                        + "\"verb\":\"get\",\"resource\":\"pods\"}}}");
        assertThat(local.status()).isEqualTo(400);
        assertThat(local.body()).contains("spec.resourceAttributes.namespace must match namespace: default");
    }

    @Test
    void selfSubjectRulesReviewListsWhatTheCallerMayDo() {
        KubernetesClient account = asAccount("default", "lister");
        SelfSubjectRulesReview rules = account.resource(new SelfSubjectRulesReviewBuilder().withNewSpec()
                .withNamespace("default").endSpec().build()).create();
        assertThat(rules.getStatus().getIncomplete()).isFalse();
        assertThat(rules.getStatus().getResourceRules()).anySatisfy(rule -> {
            assertThat(rule.getResources()).contains("selfsubjectaccessreviews", "selfsubjectrulesreviews");
            assertThat(rule.getVerbs()).containsExactly("create");
        });
        assertThat(rules.getStatus().getNonResourceRules()).anySatisfy(rule ->
                assertThat(rule.getNonResourceURLs()).contains("/api", "/healthz"));

        SelfSubjectRulesReview everything = admin.resource(new SelfSubjectRulesReviewBuilder().withNewSpec()
                .withNamespace("default").endSpec().build()).create();
        assertThat(everything.getStatus().getResourceRules()).anySatisfy(rule ->
                assertThat(rule.getResources()).containsExactly("*"));
    }

    @Test
    void impersonationActsAsTheNamedUserOnceAllowed() throws Exception {
        TestApiServer.Response asAccount = api.request("GET", "/api/v1/namespaces/default/pods", null, null, null,
                Map.of("Impersonate-User", "system:serviceaccount:default:default"));
        assertThat(asAccount.status()).isEqualTo(403);
        assertThat(message(asAccount)).isEqualTo("pods is forbidden: User \"system:serviceaccount:default:default\" "
                + "cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");

        String token = AuthzSupport.token(admin, "default", "impostor");
        TestApiServer.Response refused = api.send("GET", "/api/v1/namespaces/default/pods",
                Map.of("Authorization", "Bearer " + token, "Impersonate-User", "jane"), null);
        assertThat(message(refused)).isEqualTo("users \"jane\" is forbidden: User "
                + "\"system:serviceaccount:default:impostor\" cannot impersonate resource \"users\" in API group \"\" "
                + "at the cluster scope");

        KubernetesClient asJane = api.client(new ConfigBuilder(api.config()).withImpersonateUsername("jane")
                .withImpersonateGroups("developers").build());
        assertThat(forbidden(() -> asJane.secrets().inNamespace("default").list()))
                .startsWith("secrets is forbidden: User \"jane\"");
    }

    @Test
    void anonymousRequestsMayReadHealthAndVersionOnly() throws Exception {
        assertThat(api.send("GET", "/healthz", Map.of(), null).status()).isEqualTo(200);
        assertThat(api.send("GET", "/version", Map.of(), null).status()).isEqualTo(200);
        TestApiServer.Response discovery = api.send("GET", "/api", Map.of(), null);
        assertThat(discovery.status()).isEqualTo(403);
        assertThat(message(discovery)).isEqualTo("forbidden: User \"system:anonymous\" cannot get path \"/api\"");
        assertThat(api.send("GET", "/api/v1/pods", Map.of("Authorization", "Bearer nonsense"), null).status())
                .isEqualTo(401);
    }

    @Test
    void aNodeReadsOnlyTheSecretsOfItsOwnPods() throws Exception {
        admin.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("db")
                .endMetadata().addToStringData("password", "x").build()).create();
        admin.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("unused")
                .endMetadata().build()).create();
        admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("app").endMetadata()
                .withNewSpec().withNodeName("n1").withServiceAccountName("default").addNewVolume().withName("db")
                .withNewSecret().withSecretName("db").endSecret().endVolume().addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().build()).create();
        Map<String, String> n1 = Map.of("Impersonate-User", "system:node:n1", "Impersonate-Group", "system:nodes");
        Map<String, String> n2 = Map.of("Impersonate-User", "system:node:n2", "Impersonate-Group", "system:nodes");

        TestApiServer.await("the node sees its pod's secret",
                () -> api.request("GET", "/api/v1/namespaces/default/secrets/db", null, null, null, n1).status() == 200);
        TestApiServer.Response other = api.request("GET", "/api/v1/namespaces/default/secrets/db", null, null, null, n2);
        assertThat(message(other)).isEqualTo("secrets \"db\" is forbidden: User \"system:node:n2\" cannot get resource "
                + "\"secrets\" in API group \"\" in the namespace \"default\": no relationship found between node 'n2' "
                + "and this object");
        assertThat(api.request("GET", "/api/v1/namespaces/default/secrets/unused", null, null, null, n1).status())
                .isEqualTo(403);
        assertThat(api.request("GET", "/api/v1/namespaces/default/secrets", null, null, null, n1).status())
                .isEqualTo(403);
        // what every kubelet does: its pods, its Node, its Lease
        assertThat(api.request("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1", null, null, null, n1).status())
                .isEqualTo(200);
        TestApiServer.Response otherNode = api.request("PATCH", "/api/v1/nodes/n2/status", null,
                "application/merge-patch+json", "{}", n1);
        assertThat(otherNode.status()).isEqualTo(404); // allowed by the rules, refused only once the node exists
        TestApiServer.Response foreignPod = api.request("POST", "/api/v1/namespaces/default/pods", null,
                "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"sneaky\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}", n1);
        assertThat(message(foreignPod)).isEqualTo("pods \"sneaky\" is forbidden: pod does not have "
                + "\"kubernetes.io/config.mirror\" annotation, node \"n1\" can only create mirror pods");
    }

    @Test
    void componentStatusesReportTheLeadersAndTheStore() {
        TestApiServer.Response list = api.request("GET", "/api/v1/componentstatuses", null, null, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("\"name\":\"etcd-0\"").contains("\"message\":\"ok\"")
                .contains("no leader holds the lease kube-system/kube-scheduler");

        admin.leases().inNamespace("kube-system").resource(new LeaseBuilder().withNewMetadata()
                .withName("kube-scheduler").endMetadata().withNewSpec().withHolderIdentity("host_1")
                .withLeaseDurationSeconds(15).withRenewTime(ZonedDateTime.now()).endSpec().build()).create();
        TestApiServer.await("the scheduler is healthy", () -> admin.componentstatuses().withName("scheduler").get()
                .getConditions().get(0).getStatus().equals("True"));
        assertThat(admin.componentstatuses().withName("scheduler").get().getConditions().get(0).getMessage())
                .isEqualTo("ok");
    }

    private static KubernetesClient asAccount(String namespace, String name) {
        return AuthzSupport.asServiceAccount(api, admin, namespace, name);
    }

    private static String message(TestApiServer.Response response) throws Exception {
        JsonNode status = JSON.readTree(response.body());
        return status.path("message").asText();
    }
}
