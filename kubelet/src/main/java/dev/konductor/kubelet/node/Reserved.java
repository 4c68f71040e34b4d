package dev.konductor.kubelet.node;

/**
 * What the node keeps back from pods for its own daemons: upstream's {@code --kube-reserved} and
 * {@code --system-reserved} added together. Both are empty by default upstream, and here.
 */
public record Reserved(long milliCpu, long memoryBytes, long ephemeralStorageBytes) {

    public static final Reserved NONE = new Reserved(0, 0, 0);

    public Reserved {
        if (milliCpu < 0 || memoryBytes < 0 || ephemeralStorageBytes < 0) {
            throw new IllegalArgumentException("reservations must not be negative: " + milliCpu + "m cpu, "
                    + memoryBytes + " bytes memory, " + ephemeralStorageBytes + " bytes ephemeral-storage");
        }
    }
}
