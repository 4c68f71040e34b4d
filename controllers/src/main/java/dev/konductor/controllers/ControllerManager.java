package dev.konductor.controllers;

import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller manager: once it holds the {@code kube-system/kube-controller-manager} Lease,
 * it starts every controller over one set of shared informers; when it loses the Lease it stops
 * them (another server has taken over). All API access goes through the client it is given.
 */
public final class ControllerManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);
    public static final String LEASE_NAME = "kube-controller-manager";

    private final KubernetesClient client;
    private final String identity;
    private final Supplier<List<Controller>> controllers;
    private final ControllerSettings settings;
    private final Clock clock;
    private CompletableFuture<?> election;
    private Informers informers;
    private ControllerContext context;
    private final List<Controller> running = new ArrayList<>();
    private volatile boolean leading;

    /**
     * @param identity    this process's name in the Lease (host name plus a random suffix)
     * @param controllers makes a fresh set of controllers each time leadership is won
     */
    public ControllerManager(KubernetesClient client, String identity, Supplier<List<Controller>> controllers,
                             ControllerSettings settings, Clock clock) {
        this.client = client;
        this.identity = identity;
        this.controllers = controllers;
        this.settings = settings;
        this.clock = clock;
    }

    /** Campaigns for the Lease in the background; controllers start when it is won. */
    public synchronized void start() {
        LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(LEASE_NAME)
                .withLock(new LeaseLock("kube-system", LEASE_NAME, identity))
                .withLeaseDuration(Duration.ofSeconds(15))
                .withRenewDeadline(Duration.ofSeconds(10))
                .withRetryPeriod(Duration.ofSeconds(2))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading,
                        leader -> log.info("controller manager leader is {}", leader)))
                .build()).build();
        election = elector.start();
    }

    /** Runs the controllers without an election (tests, and single-process tools). */
    public synchronized void startWithoutElection() {
        startLeading();
    }

    public boolean leading() {
        return leading;
    }

    private synchronized void startLeading() {
        log.info("controller manager {} is leading; starting controllers", identity);
        informers = new Informers(client);
        context = new ControllerContext(client, informers, clock, settings);
        for (Controller controller : controllers.get()) {
            controller.start(context);
            running.add(controller);
        }
        try {
            informers.startAll(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leading = true;
    }

    private synchronized void stopLeading() {
        if (!leading && running.isEmpty()) {
            return;
        }
        log.info("controller manager {} stopped leading; stopping controllers", identity);
        leading = false;
        running.forEach(Controller::close);
        running.clear();
        if (context != null) {
            context.close();
        }
        if (informers != null) {
            informers.close();
        }
    }

    @Override
    public synchronized void close() {
        if (election != null) {
            election.cancel(true);
            election = null;
        }
        stopLeading();
    }
}
