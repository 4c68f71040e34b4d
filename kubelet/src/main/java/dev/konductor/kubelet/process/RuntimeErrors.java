package dev.konductor.kubelet.process;

import dev.konductor.kubelet.runtime.ContainerRuntime;

/** The process runtime's failures as the kubelet expects runtime failures (its words are the whole message). */
final class RuntimeErrors {

    private RuntimeErrors() {
    }

    static ContainerRuntime.RuntimeException failed(String description) {
        return new ContainerRuntime.RuntimeException(description, description, false, null);
    }

    static ContainerRuntime.RuntimeException failed(String description, Throwable cause) {
        return new ContainerRuntime.RuntimeException(description, description, false, cause);
    }

    /** As containerd words a missing object: {@code an error occurred when try to find container "ID": not found}. */
    static ContainerRuntime.RuntimeException notFound(String kind, String id) {
        String description = "an error occurred when try to find " + kind + " \"" + id + "\": not found";
        return new ContainerRuntime.RuntimeException(description, description, true, null);
    }
}
