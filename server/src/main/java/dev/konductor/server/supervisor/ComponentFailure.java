package dev.konductor.server.supervisor;

/** A component could not start, did not become ready in time, or died while running. */
public final class ComponentFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** When in its life the component failed. */
    public enum Phase {
        START("failed to start"),
        READINESS("did not become ready"),
        RUNNING("died");

        private final String description;

        Phase(String description) {
            this.description = description;
        }
    }

    private final String component;
    private final Phase phase;

    public ComponentFailure(String component, Phase phase, Throwable cause) {
        super("component " + component + " " + phase.description + ": " + describe(cause), cause);
        this.component = component;
        this.phase = phase;
    }

    public String component() {
        return component;
    }

    public Phase phase() {
        return phase;
    }

    /**
     * Whether the cause's message says all a user needs (a port in use, a bad file), so that a
     * stack trace would only hide it. Other exceptions are bugs and keep their trace.
     */
    public boolean isExplained() {
        return isExplained(getCause());
    }

    private static boolean isExplained(Throwable cause) {
        return cause instanceof IllegalStateException || cause instanceof IllegalArgumentException
                || cause instanceof java.io.UncheckedIOException || cause instanceof java.io.IOException
                || cause instanceof java.util.concurrent.TimeoutException;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getName();
        }
        return isExplained(cause) ? message : cause.getClass().getName() + ": " + message;
    }
}
