package dev.konductor.scheduler.framework;

import java.util.List;

/**
 * A plugin's verdict, as upstream's framework.Status: success, skip (the plugin has nothing to
 * say about this pod), rejected (unschedulable, with reasons that end up in the FailedScheduling
 * message) or an unexpected error.
 */
public sealed interface Status {

    Status SUCCESS = new Success();
    Status SKIP = new Skip();

    /** The plugin that returned this status, when known ("" otherwise). */
    String plugin();

    /** A copy naming {@code plugin} as its origin. */
    Status withPlugin(String plugin);

    /** The reasons joined with ", " (upstream's Status.Message). */
    String message();

    default boolean isSuccess() {
        return this instanceof Success;
    }

    default boolean isSkip() {
        return this instanceof Skip;
    }

    /** Unschedulable or UnschedulableAndUnresolvable. */
    default boolean isRejected() {
        return this instanceof Rejected;
    }

    /** Unschedulable (preemption may help). */
    static Status unschedulable(String... reasons) {
        return new Rejected(false, List.of(reasons), "");
    }

    /** UnschedulableAndUnresolvable (preemption cannot help on this node). */
    static Status unresolvable(String... reasons) {
        return new Rejected(true, List.of(reasons), "");
    }

    static Status error(String message) {
        return new Error(message, "");
    }

    record Success() implements Status {
        @Override
        public String plugin() {
            return "";
        }

        @Override
        public Status withPlugin(String plugin) {
            return this;
        }

        @Override
        public String message() {
            return "";
        }
    }

    record Skip() implements Status {
        @Override
        public String plugin() {
            return "";
        }

        @Override
        public Status withPlugin(String plugin) {
            return this;
        }

        @Override
        public String message() {
            return "";
        }
    }

    /**
     * @param unresolvable true for UnschedulableAndUnresolvable: evicting pods from the node
     *                     would not help, so preemption skips it
     */
    record Rejected(boolean unresolvable, List<String> reasons, String plugin) implements Status {
        public Rejected {
            reasons = List.copyOf(reasons);
        }

        @Override
        public Status withPlugin(String name) {
            return new Rejected(unresolvable, reasons, name);
        }

        @Override
        public String message() {
            return String.join(", ", reasons);
        }
    }

    record Error(String message, String plugin) implements Status {
        @Override
        public Status withPlugin(String name) {
            return new Error(message, name);
        }
    }
}
