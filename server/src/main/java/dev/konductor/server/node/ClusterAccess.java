package dev.konductor.server.node;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * How a node's components reach their cluster: the server's own node through the
 * certificates the server issues it and the local registry, an agent through what it learnt when it joined. Valid once
 * the components named by {@link #components()} are ready; the node's components depend on them.
 */
public interface ClusterAccess {

    /** The components that provide this access (the API server and registry, or the join). */
    Set<String> components();

    /** A kubeconfig for the API server, as the node ({@code system:node:<name>}). */
    Path kubeconfig();

    /** A kubeconfig for the API server, as the service proxy ({@code system:kube-proxy}). */
    Path proxyKubeconfig();

    /** The cluster CA, which signs the client certificates the kubelet accepts. */
    X509Certificate clusterCa();

    /** The cluster's image registry, {@code http://HOST:PORT}, every image's only source. */
    String registryUrl();
}
