package dev.konductor.scheduler;

import dev.konductor.scheduler.config.SchedulerConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: binds pending pods to nodes. Leader-elected through the
 * {@code kube-system/kube-scheduler} Lease so that two servers can run side by side; while it
 * leads it watches pods and nodes through the client, places each pending pod of
 * {@code default-scheduler} (or the configured profile name) with the plugin framework, and
 * binds it through the pods/binding subresource.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    public static final String LEASE_NAME = "kube-scheduler";

    private final KubernetesClient client;
    private final SchedulerSettings settings;
    private final SchedulerConfiguration config;
    private final Clock clock;
    private CompletableFuture<?> election;
    private SchedulerRuntime runtime;
    private volatile boolean leading;

    /** @throws IllegalArgumentException if the configuration file is unreadable or invalid */
    public Scheduler(KubernetesClient client, SchedulerSettings settings) {
        this.client = client;
        this.settings = settings;
        this.config = settings.configFile().map(SchedulerConfiguration::load).orElseGet(SchedulerConfiguration::defaults);
        this.clock = Clock.systemUTC();
    }

    /** Campaigns for the Lease in the background and schedules while it leads. */
    public synchronized void start() {
        LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(LEASE_NAME)
                .withLock(new LeaseLock("kube-system", LEASE_NAME, settings.identity()))
                .withLeaseDuration(Duration.ofSeconds(15))
                .withRenewDeadline(Duration.ofSeconds(10))
                .withRetryPeriod(Duration.ofSeconds(2))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading,
                        leader -> log.info("scheduler leader is {}", leader)))
                .build()).build();
        election = elector.start();
    }

    /** Whether this scheduler holds the Lease and is scheduling. */
    public boolean leading() {
        return leading;
    }

    private synchronized void startLeading() {
        log.info("scheduler {} is leading", settings.identity());
        runtime = new SchedulerRuntime(client, config, settings.identity(), clock);
        runtime.start();
        leading = true;
    }

    private synchronized void stopLeading() {
        if (runtime == null) {
            return;
        }
        log.info("scheduler {} stopped leading", settings.identity());
        leading = false;
        runtime.close();
        runtime = null;
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
