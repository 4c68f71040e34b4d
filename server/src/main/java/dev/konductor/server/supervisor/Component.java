package dev.konductor.server.supervisor;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One part of a running Konductor process (the store, the API server, later the scheduler,
 * controllers, kubelet), as the {@link Supervisor} runs it.
 *
 * <p>The supervisor calls {@link #start} on a virtual thread of its own once every component
 * named in {@link #dependsOn} is ready, then polls {@link #ready} until it answers true. So
 * {@code start} may block (for example until a port is bound) or return early and become ready
 * later. A component that keeps working after {@code start} returns reports its death through
 * the {@link Monitor} it was given; the supervisor then stops everything and the process exits
 * non-zero, rather than limping on without, say, its scheduler.
 *
 * <p>{@link #stop} is called at most once, in reverse start order, also when {@code start} failed
 * or is still running (the process may be told to stop while it starts), so it must release
 * whatever was acquired so far.
 */
public interface Component {

    /** A short unique name for logs and dependencies: {@code store}, {@code apiserver}. */
    String name();

    /** Names of the components that must be ready before this one starts. */
    default Set<String> dependsOn() {
        return Set.of();
    }

    void start(Monitor monitor) throws Exception;

    /** Whether the component does its job now. Cheap: it is polled. */
    boolean ready();

    void stop() throws Exception;

    /**
     * How long {@link #stop} may take, when it may take longer than the supervisor's default: a
     * stop that is abandoned leaves what it had not released yet (processes, mounts) behind.
     */
    default Optional<Duration> stopTimeout() {
        return Optional.empty();
    }

    /** How a running component tells the supervisor it can no longer do its job. */
    @FunctionalInterface
    interface Monitor {
        void died(Throwable cause);
    }
}
