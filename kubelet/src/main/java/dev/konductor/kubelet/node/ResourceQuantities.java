package dev.konductor.kubelet.node;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Quantities written as the API server's canonical form writes them, so that {@code kubectl
 * describe node} reads as upstream's: byte counts with the largest binary suffix that divides
 * them exactly ({@code 24731400Ki}, {@code 2Mi}, or plain bytes), CPU in cores or millicores.
 */
final class ResourceQuantities {

    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private ResourceQuantities() {
    }

    static Quantity bytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        long value = bytes;
        int suffix = 0;
        while (value != 0 && value % 1024 == 0 && suffix < BINARY_SUFFIXES.length - 1) {
            value /= 1024;
            suffix++;
        }
        return new Quantity(value + BINARY_SUFFIXES[suffix]);
    }

    static Quantity milliCpu(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("millicores must not be negative: " + millis);
        }
        return new Quantity(millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m");
    }

    static Quantity count(long n) {
        return new Quantity(Long.toString(n));
    }
}
