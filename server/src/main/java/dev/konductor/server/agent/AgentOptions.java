package dev.konductor.server.agent;

import dev.konductor.server.control.NodeRuntime;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.node.IngressPorts;
import dev.konductor.server.pki.NodeToken;
import java.net.InetAddress;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@code konductor agent} was asked to run, validated.
 *
 * @param server      the API server, {@code https://HOST:PORT}
 * @param token       the server's node token (CA hash and join secret)
 * @param dataDir     where the agent keeps its kubeconfig, containerd and kubelet files
 * @param nodeName    the Node's name
 * @param nodeIp      the node's InternalIP; empty for the address of the default-route interface
 * @param runtime     cri (real containers) or sim
 * @param kubeletPort  the kubelet's HTTPS port
 * @param ingressPorts where the node's Ingress controller listens
 */
public record AgentOptions(URI server, NodeToken token, DataDir dataDir, String nodeName, Optional<InetAddress> nodeIp,
                           NodeRuntime runtime, int kubeletPort, IngressPorts ingressPorts) {

    public AgentOptions {
        Objects.requireNonNull(server);
        Objects.requireNonNull(token);
        Objects.requireNonNull(dataDir);
        Objects.requireNonNull(nodeIp);
        Objects.requireNonNull(ingressPorts);
        if (!"https".equals(server.getScheme()) || server.getHost() == null) {
            throw new IllegalArgumentException("--server must be an https:// URL of the API server: " + server);
        }
        if (!nodeName.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            throw new IllegalArgumentException("node name must be a lowercase DNS subdomain: " + nodeName);
        }
        if (runtime != NodeRuntime.CRI && runtime != NodeRuntime.SIM) {
            throw new IllegalArgumentException("an agent runs --runtime cri or sim, not " + runtime);
        }
        if (kubeletPort < 0 || kubeletPort > 65535) {
            throw new IllegalArgumentException("kubelet port must be between 0 and 65535: " + kubeletPort);
        }
    }
}
