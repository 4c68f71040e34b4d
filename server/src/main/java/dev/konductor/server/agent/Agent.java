package dev.konductor.server.agent;

import dev.konductor.kubelet.sim.SimSettings;
import dev.konductor.server.control.NodeRuntime;
import dev.konductor.server.control.SimNodeComponent;
import dev.konductor.server.datadir.DataDirLock;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.server.node.NodeComponents;
import dev.konductor.server.node.NodeSpec;
import dev.konductor.server.supervisor.Component;
import dev.konductor.server.supervisor.ComponentFailure;
import dev.konductor.server.supervisor.Supervisor;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code konductor agent} runs while holding its data directory's lock: first the
 * {@link Join} (CA checked against the token, cluster settings read, the certificates and kubeconfigs
 * of the node and its proxy written), then
 * under a {@link Supervisor} the same node components as the server's own node
 * ({@link NodeComponents}), or a simulated node.
 */
public final class Agent implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final AgentOptions options;
    private final HostAddresses host;
    private final Clock clock;
    private final Join join;
    private Supervisor supervisor; // guarded by this
    private DataDirLock lock; // guarded by this
    private boolean closed; // guarded by this

    public Agent(AgentOptions options, HostAddresses host, Clock clock) {
        this.options = options;
        this.host = host;
        this.clock = clock;
        this.join = new Join(options.server(), options.token(), options.dataDir(), options.nodeName());
    }

    /**
     * Joins and starts every component; returns once all are ready (true) or once
     * {@link #close()} was called meanwhile (false).
     *
     * @throws IllegalStateException if another process holds the data directory, or the server is
     *                               not the one the token names, or refuses it
     * @throws ComponentFailure      if a component fails to start
     */
    public boolean start() throws ComponentFailure, InterruptedException {
        synchronized (this) {
            lock = DataDirLock.acquire(options.dataDir());
        }
        Optional<Join.Joined> joined = join.run();
        if (joined.isEmpty()) {
            return false;
        }
        Supervisor started;
        synchronized (this) {
            if (closed) {
                return false;
            }
            started = new Supervisor(components(joined.get()), READY_TIMEOUT, STOP_TIMEOUT);
            supervisor = started;
        }
        return started.start();
    }

    private List<Component> components(Join.Joined joined) {
        if (options.runtime() == NodeRuntime.SIM) {
            return List.of(new SimNodeComponent(joined.kubeconfig(),
                    new SimSettings(options.nodeName(), 1, "4", "8Gi", 110), Set.of()));
        }
        InetAddress nodeIp = options.nodeIp().orElseGet(host::nodeAddress);
        NodeSpec node = new NodeSpec(options.nodeName(), nodeIp, options.kubeletPort(), options.dataDir().root(),
                joined.config().serviceCidr(), joined.config().clusterCidr(), joined.config().clusterDns(),
                options.ingressPorts());
        return NodeComponents.cri(node, joined, clock);
    }

    /** Blocks until a component dies (returned) or {@link #close()} is called (empty). */
    public Optional<ComponentFailure> awaitTermination() throws InterruptedException {
        Supervisor current;
        synchronized (this) {
            current = supervisor;
        }
        return current == null ? Optional.empty() : current.awaitTermination();
    }

    /** Stops every component, newest first, then releases the data directory. Idempotent. */
    @Override
    public void close() {
        Supervisor current;
        synchronized (this) {
            closed = true;
            current = supervisor;
        }
        join.abort();
        if (current != null) {
            current.stop();
        }
        synchronized (this) {
            if (lock != null) {
                lock.close();
                lock = null;
            }
        }
    }
}
