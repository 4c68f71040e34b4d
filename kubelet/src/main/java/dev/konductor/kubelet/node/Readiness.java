package dev.konductor.kubelet.node;

import java.util.List;

/**
 * Why the node is not ready, if it is not: the errors upstream's kubelet aggregates into the
 * Ready condition's message ("container runtime is down", "PLEG is not healthy: ...").
 */
public record Readiness(List<String> errors) {

    public static final Readiness READY = new Readiness(List.of());

    public Readiness {
        errors = List.copyOf(errors);
    }

    public static Readiness notReady(String error) {
        return new Readiness(List.of(error));
    }

    public boolean ready() {
        return errors.isEmpty();
    }

    /** The errors as Go's aggregate error prints them: one alone, several as {@code [a, b]}. */
    public String message() {
        return errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]";
    }

    public Readiness and(Readiness other) {
        return new Readiness(java.util.stream.Stream.concat(errors.stream(), other.errors.stream()).toList());
    }
}
