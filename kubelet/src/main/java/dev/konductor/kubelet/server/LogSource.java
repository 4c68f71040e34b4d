package dev.konductor.kubelet.server;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Finds the log of a container of a pod on this node, for {@code /containerLogs}. */
@FunctionalInterface
public interface LogSource {

    /** A container's log file and whether it may still grow. */
    record Target(Path file, BooleanSupplier running) {
    }

    /**
     * @throws NotFound when there is no such pod, container, or previous instance
     */
    Target find(String namespace, String pod, String container, boolean previous) throws NotFound;

    /** Why no log can be served; the message is shown to the user. */
    final class NotFound extends Exception {
        public NotFound(String message) {
            super(message);
        }
    }
}
