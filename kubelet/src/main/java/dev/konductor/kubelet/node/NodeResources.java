package dev.konductor.kubelet.node;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Capacity and allocatable, as upstream's kubelet works them out (its "node allocatable"):
 * <pre>
 * allocatable = capacity - reserved (kube + system) - hard eviction threshold
 * </pre>
 * for cpu (no threshold), memory ({@code memory.available}, 100Mi by default, and every
 * pre-allocated huge page, which ordinary memory requests cannot use) and ephemeral-storage
 * ({@code nodefs.available}, 10% of the filesystem by default). Huge pages and pods are allocatable
 * in full. Quantities in the API server's canonical form. Pure.
 */
public record NodeResources(Map<String, Quantity> capacity, Map<String, Quantity> allocatable) {

    /** Upstream's --max-pods default. */
    public static final int MAX_PODS = 110;

    public NodeResources {
        capacity = Collections.unmodifiableMap(new TreeMap<>(capacity));
        allocatable = Collections.unmodifiableMap(new TreeMap<>(allocatable));
    }

    public static NodeResources of(MachineInfo machine, int maxPods, Reserved reserved, EvictionThresholds thresholds) {
        Map<String, Quantity> capacity = new TreeMap<>();
        Map<String, Quantity> allocatable = new TreeMap<>();
        long milliCpu = machine.cpus() * 1000L;
        capacity.put("cpu", ResourceQuantities.milliCpu(milliCpu));
        allocatable.put("cpu", ResourceQuantities.milliCpu(Math.max(0, milliCpu - reserved.milliCpu())));

        long hugepages = 0;
        for (Map.Entry<String, Long> size : machine.hugepagesBytes().entrySet()) {
            capacity.put(size.getKey(), ResourceQuantities.bytes(size.getValue()));
            allocatable.put(size.getKey(), ResourceQuantities.bytes(size.getValue()));
            hugepages += size.getValue();
        }
        capacity.put("memory", ResourceQuantities.bytes(machine.memoryBytes()));
        allocatable.put("memory", ResourceQuantities.bytes(Math.max(0, machine.memoryBytes() - reserved.memoryBytes()
                - thresholds.memoryAvailableBytes() - hugepages)));

        long disk = machine.ephemeralStorageBytes();
        capacity.put("ephemeral-storage", ResourceQuantities.bytes(disk));
        allocatable.put("ephemeral-storage", ResourceQuantities.bytes(Math.max(0, disk - reserved.ephemeralStorageBytes()
                - thresholds.nodefsReserve(disk))));

        capacity.put("pods", ResourceQuantities.count(maxPods));
        allocatable.put("pods", ResourceQuantities.count(maxPods));
        return new NodeResources(capacity, allocatable);
    }
}
