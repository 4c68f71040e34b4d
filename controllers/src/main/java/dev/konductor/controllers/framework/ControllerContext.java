package dev.konductor.controllers.framework;

import dev.konductor.client.CoreEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a controller gets from the controller manager: the API client, the shared informers, an
 * event recorder per component name, a clock and the manager's settings.
 */
public final class ControllerContext implements AutoCloseable {

    private final KubernetesClient client;
    private final Informers informers;
    private final Clock clock;
    private final ControllerSettings settings;
    private final Map<String, CoreEvents> recorders = new ConcurrentHashMap<>();

    public ControllerContext(KubernetesClient client, Informers informers, Clock clock, ControllerSettings settings) {
        this.client = client;
        this.informers = informers;
        this.clock = clock;
        this.settings = settings;
    }

    public KubernetesClient client() {
        return client;
    }

    public Informers informers() {
        return informers;
    }

    public Clock clock() {
        return clock;
    }

    public ControllerSettings settings() {
        return settings;
    }

    /** The recorder whose events say {@code source.component: component}. */
    public CoreEvents events(String component) {
        return recorders.computeIfAbsent(component, c -> new CoreEvents(client, c, null, clock));
    }

    @Override
    public void close() {
        recorders.values().forEach(CoreEvents::close);
        recorders.clear();
    }
}
