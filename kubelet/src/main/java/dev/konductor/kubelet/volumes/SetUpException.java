package dev.konductor.kubelet.volumes;

/**
 * A volume could not be set up; the message is upstream's, and the pod's FailedMount event reads
 * {@code OPERATION failed for volume "NAME" : MESSAGE}.
 */
final class SetUpException extends Exception {

    static final String SET_UP = "MountVolume.SetUp";
    static final String NEW_MOUNTER = "MountVolume.NewMounter initialization";

    private final String operation;

    SetUpException(String message) {
        this(SET_UP, message, null);
    }

    SetUpException(String operation, String message, Throwable cause) {
        super(message, cause);
        this.operation = operation;
    }

    String operation() {
        return operation;
    }
}
