package dev.konductor.proxy.userspace;

import dev.konductor.proxy.Proxier;
import dev.konductor.proxy.model.Protocol;
import dev.konductor.proxy.model.ProxyEndpoint;
import dev.konductor.proxy.model.ProxyModel;
import dev.konductor.proxy.model.ServicePortRules;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy without root: Java listeners that forward TCP connections to endpoints round-robin
 * (sticky per client address with {@code sessionAffinity: ClientIP}).
 *
 * <p>What it serves: every TCP NodePort (on the configured node addresses, or all addresses), and a
 * ClusterIP or external address (load-balancer ingress, {@code externalIPs}) on the Service port
 * wherever that address is assigned to this host, so it can be bound. What it cannot do: catch
 * traffic to a ClusterIP that is not a local address (that needs the kernel: DNAT or an address on
 * a link, both root-only), keep the client's address (endpoints see the proxy's), UDP and SCTP,
 * reject unallocated ClusterIPs, and bind ports below 1024 without the capability to.
 */
public final class UserspaceProxier implements Proxier {

    private static final Logger log = LoggerFactory.getLogger(UserspaceProxier.class);

    /** What a listener serves: which endpoints, with which affinity. */
    private record Target(String description, List<ProxyEndpoint> endpoints, Optional<Duration> affinity) {
    }

    private final List<InetAddress> nodePortAddresses;
    private final Duration connectTimeout;
    private final Predicate<InetAddress> isLocal;
    private final Map<InetSocketAddress, TcpListener> listeners = new HashMap<>(); // guarded by this
    private final Set<String> reported = new HashSet<>(); // problems logged once; guarded by this

    /**
     * @param nodePortAddresses where NodePorts listen; empty means the wildcard address
     * @param connectTimeout    how long to wait for an endpoint before trying the next
     */
    public UserspaceProxier(List<InetAddress> nodePortAddresses, Duration connectTimeout) {
        this(nodePortAddresses, connectTimeout, UserspaceProxier::assignedHere);
    }

    UserspaceProxier(List<InetAddress> nodePortAddresses, Duration connectTimeout, Predicate<InetAddress> isLocal) {
        this.nodePortAddresses = List.copyOf(nodePortAddresses);
        this.connectTimeout = connectTimeout;
        this.isLocal = isLocal;
    }

    @Override
    public void start() {
        log.info("userspace proxy: TCP NodePorts, and ClusterIPs only where they are local addresses");
    }

    @Override
    public synchronized void sync(ProxyModel model) {
        Map<InetSocketAddress, Target> desired = desired(model);
        listeners.entrySet().removeIf(entry -> {
            if (!desired.containsKey(entry.getKey())) {
                entry.getValue().close();
                return true;
            }
            return false;
        });
        for (Map.Entry<InetSocketAddress, Target> entry : desired.entrySet()) {
            Target target = entry.getValue();
            TcpListener listener = listeners.get(entry.getKey());
            if (listener == null) {
                Backends backends = new Backends(System::nanoTime);
                backends.update(target.endpoints(), target.affinity());
                try {
                    listeners.put(entry.getKey(), TcpListener.open(target.description(), entry.getKey(), backends,
                            connectTimeout));
                    reported.remove(entry.getKey().toString());
                } catch (IOException e) {
                    if (reported.add(entry.getKey().toString())) {
                        log.warn("userspace proxy cannot listen service={} address={} error={}", target.description(),
                                entry.getKey(), e.getMessage());
                    }
                }
            } else {
                listener.backends().update(target.endpoints(), target.affinity());
            }
        }
    }

    /** The addresses listened on now, for tests and diagnostics. */
    public synchronized Set<InetSocketAddress> listening() {
        return Set.copyOf(listeners.keySet());
    }

    private Map<InetSocketAddress, Target> desired(ProxyModel model) {
        Map<InetSocketAddress, Target> desired = new LinkedHashMap<>();
        for (ServicePortRules port : model.ports()) {
            if (port.protocol() != Protocol.TCP) {
                if (reported.add("protocol " + port.name())) {
                    log.warn("userspace proxy forwards TCP only service={} protocol={}", port.name(), port.protocol());
                }
                continue;
            }
            String name = port.name().toString();
            if (port.nodePort() > 0) {
                List<InetAddress> addresses = nodePortAddresses.isEmpty() ? List.of(wildcard()) : nodePortAddresses;
                for (InetAddress address : addresses) {
                    desired.put(new InetSocketAddress(address, port.nodePort()),
                            new Target(name + " nodePort", port.externalEndpoints(), port.affinityTimeout()));
                }
            }
            if (isLocal.test(port.clusterIp())) {
                desired.put(new InetSocketAddress(port.clusterIp(), port.port()),
                        new Target(name + " clusterIP", port.clusterEndpoints(), port.affinityTimeout()));
            }
            for (InetAddress external : port.externalIps()) {
                if (isLocal.test(external)) {
                    desired.putIfAbsent(new InetSocketAddress(external, port.port()),
                            new Target(name + " external", port.externalEndpoints(), port.affinityTimeout()));
                }
            }
        }
        return desired;
    }

    private static InetAddress wildcard() {
        return new InetSocketAddress(0).getAddress();
    }

    private static boolean assignedHere(InetAddress address) {
        try {
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(listeners.values()).forEach(TcpListener::close);
        listeners.clear();
    }
}
