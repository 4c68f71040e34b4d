package dev.konductor.kubelet.prober;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.Optional;

/** The three probes a container may declare, named as upstream's events name them. */
public enum ProbeType {
    LIVENESS("Liveness"),
    READINESS("Readiness"),
    STARTUP("Startup");

    private final String title;

    ProbeType(String title) {
        this.title = title;
    }

    /** "Liveness", "Readiness", "Startup": how events and messages name the probe. */
    public String title() {
        return title;
    }

    public Optional<Probe> of(Container container) {
        return Optional.ofNullable(switch (this) {
            case LIVENESS -> container.getLivenessProbe();
            case READINESS -> container.getReadinessProbe();
            case STARTUP -> container.getStartupProbe();
        });
    }

    /**
     * What the probe reports for a new container before its first verdict: not ready until a
     * readiness probe succeeds; alive until a liveness probe says otherwise; startup unknown.
     */
    Outcome initialOutcome() {
        return switch (this) {
            case LIVENESS -> Outcome.SUCCESS;
            case READINESS -> Outcome.FAILURE;
            case STARTUP -> Outcome.UNKNOWN;
        };
    }

    /** A published verdict. */
    public enum Outcome { SUCCESS, FAILURE, UNKNOWN }
}
