package dev.konductor.controllers.framework;

/**
 * One controller of the controller manager: watches what it needs through the shared
 * informers, queues keys from its event handlers, and reconciles them in its own loop. Started
 * once this process leads; stopped when it stops leading or shuts down.
 */
public interface Controller extends AutoCloseable {

    /** Upstream's name for it, e.g. {@code replicaset-controller}; used in logs and event sources. */
    String name();

    /** Registers event handlers on {@code context}'s informers and starts the workers. */
    void start(ControllerContext context);

    /** Stops the workers. Handlers may still fire and must tolerate a stopped loop. */
    @Override
    void close();
}
