package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issues 2-4 as a user meets them with the real kubectl: service account tokens from
 * {@code kubectl create token} and from a dashboard-style token Secret, pods carrying their
 * account's credentials, and a StatefulSet's claims provisioned and bound on the default cluster.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ServiceAccountsAndStorageTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void tokensAuthenticateAsTheirServiceAccountAndBadOnesAreUnauthorized() throws Exception {
        try (KonductorCluster cluster = KonductorCluster.start("--runtime", "sim")) {
            cluster.eventually(WAIT, r -> r.exitCode() == 0, "get", "serviceaccount", "default");
            String token = ok(cluster, "create", "token", "default").strip();
            assertThat(token.split("\\.")).hasSize(3);

            // authenticated as the account, which no binding grants pods yet (RbacTest grants it some)
            KonductorCluster.Result pods = cluster.kubectlWithToken(token, "get", "pods");
            assertThat(pods.err()).as(pods.all()).contains("pods is forbidden: User "
                    + "\"system:serviceaccount:default:default\" cannot list resource \"pods\"");
            KonductorCluster.Result whoami = cluster.kubectlWithToken(token, "auth", "whoami");
            assertThat(whoami.out()).as(whoami.all()).contains("system:serviceaccount:default:default")
                    .contains("system:serviceaccounts:default");

            String tampered = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
            KonductorCluster.Result refused = cluster.kubectlWithToken(tampered, "get", "pods");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.err()).contains("Unauthorized");

            apply(cluster, """
                    apiVersion: v1
                    kind: ServiceAccount
                    metadata: {name: admin-user, namespace: kube-system}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata:
                      name: admin-user
                      namespace: kube-system
                      annotations: {kubernetes.io/service-account.name: admin-user}
                    type: kubernetes.io/service-account-token
                    """);
            String stored = cluster.eventually(WAIT, r -> !r.out().isBlank(), "get", "secret", "admin-user", "-n",
                    "kube-system", "-o", "jsonpath={.data.token}").out();
            String legacy = new String(Base64.getDecoder().decode(stored.strip()), StandardCharsets.UTF_8);
            assertThat(cluster.kubectlWithToken(legacy, "auth", "whoami").out())
                    .contains("system:serviceaccount:kube-system:admin-user");
        }
    }

    @Test
    void statefulSetClaimsAreBoundAndItsPodsCarryTheirAccountsCredentials() throws Exception {
        try (KonductorCluster cluster = KonductorCluster.start("--runtime", "sim")) {
            cluster.eventually(WAIT, r -> r.exitCode() == 0, "get", "serviceaccount", "default");
            apply(cluster, """
                    apiVersion: apps/v1
                    kind: StatefulSet
                    metadata: {name: web}
                    spec:
                      serviceName: web
                      replicas: 2
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: web}}
                        spec:
                          containers:
                          - name: nginx
                            image: busybox
                            volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
                      volumeClaimTemplates:
                      - metadata: {name: www}
                        spec:
                          accessModes: [ReadWriteOnce]
                          resources: {requests: {storage: 1Gi}}
                    """);

            String claims = cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains(" Bound ")).count() == 2,
                    "get", "pvc").out();
            assertThat(claims.lines().findFirst().orElseThrow().split("\\s{2,}")).containsExactly("NAME", "STATUS",
                    "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE");
            assertThat(claims).containsPattern("www-web-0\\s+Bound\\s+pvc-[0-9a-f-]+\\s+1Gi\\s+RWO\\s+standard");
            String volumes = ok(cluster, "get", "pv");
            assertThat(volumes).containsPattern("pvc-[0-9a-f-]+\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+default/www-web-0"
                    + "\\s+standard");
            cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains("Running")).count() == 2,
                    "get", "pods", "-l", "app=web", "--no-headers");

            String podVolumes = ok(cluster, "get", "pod", "web-0", "-o", "jsonpath={.spec.volumes[*].name}");
            assertThat(podVolumes).contains("www").containsPattern("kube-api-access-[a-z0-9]{5}");
            assertThat(ok(cluster, "get", "pod", "web-0", "-o",
                    "jsonpath={.spec.containers[0].volumeMounts[*].mountPath}"))
                    .contains("/var/run/secrets/kubernetes.io/serviceaccount");

            KonductorCluster.Result refused = cluster.kubectl("run", "orphan", "--image=busybox",
                    "--overrides={\"spec\":{\"serviceAccountName\":\"ghost\"}}");
            assertThat(refused.err()).contains("error looking up service account default/ghost: "
                    + "serviceaccount \"ghost\" not found");
        }
    }

    private static String ok(KonductorCluster cluster, String... args) throws Exception {
        KonductorCluster.Result r = cluster.kubectl(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.all()).isZero();
        return r.out();
    }

    private static void apply(KonductorCluster cluster, String manifest) throws Exception {
        KonductorCluster.Result r = cluster.kubectlWithInput(manifest, "apply", "-f", "-");
        assertThat(r.exitCode()).as(r.all()).isZero();
    }
}
