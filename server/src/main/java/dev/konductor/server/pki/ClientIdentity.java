package dev.konductor.server.pki;

import java.util.List;

/**
 * A client certificate the server issues one of its own components, stored as
 * {@code tls/<file>.crt} and {@code .key}: the user name is its CN, each group an O, as the API
 * server reads client certificates.
 */
public record ClientIdentity(String file, String user, List<String> groups) {

    public ClientIdentity {
        groups = List.copyOf(groups);
    }

    /** The scheduler, as upstream's {@code system:kube-scheduler}, which RBAC's bootstrap policy binds. */
    public static ClientIdentity scheduler() {
        return new ClientIdentity("scheduler", "system:kube-scheduler", List.of());
    }

    /**
     * The controller manager, as upstream's {@code system:kube-controller-manager}: RBAC's bootstrap
     * policy binds it upstream's role and Konductor's {@code system:konductor:controller-manager},
     * what its controllers need between them (upstream gives each its own service account).
     */
    public static ClientIdentity controllerManager() {
        return new ClientIdentity("controller-manager", "system:kube-controller-manager", List.of());
    }

    /** The service proxy, as upstream's {@code system:kube-proxy}, which holds {@code system:node-proxier}. */
    public static ClientIdentity kubeProxy() {
        return new ClientIdentity("kube-proxy", "system:kube-proxy", List.of());
    }

    /**
     * A kubelet, as upstream's {@code system:node:<name>} in {@code system:nodes}, which the Node
     * authorizer confines to what its pods use.
     */
    public static ClientIdentity node(String nodeName) {
        return new ClientIdentity("node", "system:node:" + nodeName, List.of("system:nodes"));
    }
}
