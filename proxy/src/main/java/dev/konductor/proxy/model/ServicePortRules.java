package dev.konductor.proxy.model;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the proxy does for one port of one Service: which addresses and ports it catches and where
 * that traffic goes.
 *
 * @param name                the Service port
 * @param clusterIp           the Service's ClusterIP (of the proxy's address family)
 * @param port                the Service port number
 * @param nodePort            the NodePort, 0 when there is none
 * @param externalIps         {@code spec.externalIPs} and the load-balancer ingress addresses
 * @param affinityTimeout     present for {@code sessionAffinity: ClientIP}
 * @param externalPolicyLocal {@code externalTrafficPolicy: Local}: external traffic goes to this
 *                            node's endpoints only, and keeps its client address
 * @param clusterEndpoints    where traffic to the ClusterIP goes; empty means it is rejected
 * @param externalEndpoints   where traffic to the NodePort and external addresses goes
 */
public record ServicePortRules(ServicePortName name, InetAddress clusterIp, int port, int nodePort,
                               List<InetAddress> externalIps, Optional<Duration> affinityTimeout,
                               boolean externalPolicyLocal, List<ProxyEndpoint> clusterEndpoints,
                               List<ProxyEndpoint> externalEndpoints) {

    public ServicePortRules {
        externalIps = List.copyOf(externalIps);
        clusterEndpoints = List.copyOf(clusterEndpoints);
        externalEndpoints = List.copyOf(externalEndpoints);
    }

    public Protocol protocol() {
        return name.protocol();
    }

    /** Whether traffic from outside the cluster reaches this port (NodePort or external addresses). */
    public boolean hasExternalTraffic() {
        return nodePort > 0 || !externalIps.isEmpty();
    }
}
