package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RBAC as a user meets it with the real kubectl: a service account's token is refused with
 * upstream's message until a Role grants it something, {@code kubectl create role/rolebinding/
 * clusterrole/clusterrolebinding} then opens exactly that, {@code auth can-i} and
 * {@code auth can-i --list} say so, {@code --as} impersonates, the bootstrap roles are there, and
 * the built-in components, each under its own identity, still run a Deployment.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class RbacTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ACCOUNT = "system:serviceaccount:default:default";

    @Test
    void aServiceAccountMayDoWhatItsBindingsGrantAndNothingElse() throws Exception {
        try (KonductorCluster cluster = KonductorCluster.start("--runtime", "sim")) {
            cluster.eventually(WAIT, r -> r.exitCode() == 0, "get", "serviceaccount", "default");
            String token = ok(cluster, "create", "token", "default").strip();

            KonductorCluster.Result refused = cluster.kubectlWithToken(token, "get", "pods");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.err()).contains("Error from server (Forbidden): pods is forbidden: User \"" + ACCOUNT
                    + "\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
            assertThat(cluster.kubectl("auth", "can-i", "list", "pods", "--as=" + ACCOUNT).out().strip())
                    .isEqualTo("no");

            ok(cluster, "create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods");
            ok(cluster, "create", "rolebinding", "read-pods", "--role=pod-reader", "--serviceaccount=default:default");
            KonductorCluster.Result allowed = eventually(cluster, token, r -> r.exitCode() == 0, "get", "pods");
            assertThat(allowed.err()).contains("No resources found in default namespace.");
            assertThat(cluster.kubectlWithToken(token, "auth", "can-i", "list", "pods").out().strip()).isEqualTo("yes");
            assertThat(cluster.kubectlWithToken(token, "auth", "can-i", "delete", "pods").out().strip()).isEqualTo("no");
            assertThat(cluster.kubectlWithToken(token, "auth", "can-i", "list", "pods", "-n", "kube-system").out().strip())
                    .isEqualTo("no");
            assertThat(cluster.kubectlWithToken(token, "auth", "can-i", "--list").out())
                    .containsPattern("pods\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]");

            KonductorCluster.Result nodes = cluster.kubectlWithToken(token, "get", "nodes");
            assertThat(nodes.err()).contains("nodes is forbidden: User \"" + ACCOUNT
                    + "\" cannot list resource \"nodes\" in API group \"\" at the cluster scope");
            ok(cluster, "create", "clusterrole", "node-reader", "--verb=get,list,watch", "--resource=nodes");
            ok(cluster, "create", "clusterrolebinding", "read-nodes", "--clusterrole=node-reader",
                    "--serviceaccount=default:default");
            eventually(cluster, token, r -> r.exitCode() == 0 && r.out().contains("Ready"), "get", "nodes");
        }
    }

    @Test
    void bootstrapRolesImpersonationAndComponentsUnderTheirOwnIdentities() throws Exception {
        try (KonductorCluster cluster = KonductorCluster.start("--runtime", "sim")) {
            String roles = ok(cluster, "get", "clusterroles", "cluster-admin", "admin", "edit", "view",
                    "system:kube-controller-manager", "system:kube-scheduler", "system:node", "system:node-proxier",
                    "system:konductor:controller-manager", "system:konductor:node-networking", "-o", "name");
            assertThat(roles.lines()).hasSize(10);
            assertThat(ok(cluster, "get", "clusterrolebinding", "cluster-admin", "-o",
                    "jsonpath={.subjects[0].name}")).isEqualTo("system:masters");
            assertThat(ok(cluster, "auth", "can-i", "*", "*").strip()).isEqualTo("yes");
            // the aggregation controller fills view from its system:aggregate-to-view parts
            cluster.eventually(WAIT, r -> r.out().contains("pods"), "get", "clusterrole", "view", "-o",
                    "jsonpath={.rules[*].resources}");

            KonductorCluster.Result jane = cluster.kubectl("get", "pods", "--as=jane");
            assertThat(jane.err()).contains("pods is forbidden: User \"jane\" cannot list resource \"pods\""
                    + " in API group \"\" in the namespace \"default\"");
            assertThat(cluster.kubectl("get", "pods", "--as=jane", "--as-group=system:masters").exitCode()).isZero();
            ok(cluster, "create", "rolebinding", "jane-edit", "--clusterrole=edit", "--user=jane");
            cluster.eventually(WAIT, r -> r.out().strip().equals("yes"), "auth", "can-i", "create", "deployments",
                    "--as=jane");
            assertThat(cluster.kubectl("auth", "can-i", "create", "roles", "--as=jane").out().strip())
                    .isEqualTo("no");
            assertThat(cluster.kubectl("auth", "can-i", "list", "secrets", "-A", "--as=system:kube-scheduler")
                    .out().strip()).isEqualTo("no");

            // the controller manager, the scheduler and the node, each as itself, run a Deployment
            ok(cluster, "create", "deployment", "web", "--image=busybox", "--replicas=2", "--as=jane");
            cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains("Running")).count() == 2,
                    "get", "pods", "-l", "app=web", "--no-headers");
            assertThat(ok(cluster, "get", "componentstatuses")).contains("scheduler").contains("controller-manager");
        }
    }

    /** A binding takes effect once the API server's policy cache has seen it. */
    private static KonductorCluster.Result eventually(KonductorCluster cluster, String token,
                                                      java.util.function.Predicate<KonductorCluster.Result> condition,
                                                      String... args) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        KonductorCluster.Result last;
        do {
            last = cluster.kubectlWithToken(token, args);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("timed out waiting on kubectl " + String.join(" ", args) + "; last: " + last);
    }

    private static String ok(KonductorCluster cluster, String... args) throws Exception {
        KonductorCluster.Result r = cluster.kubectl(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.all()).isZero();
        return r.out();
    }
}
