package dev.konductor.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * An amount of compute resources in the scheduler's units: milli-CPU, bytes, a pod count and
 * integer amounts of extended resources (hugepages, {@code example.com/gpu}). Mutable: a
 * {@link NodeInfo} adds and subtracts pods' requests; copy before sharing.
 */
public final class Resources {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    private long milliCpu;
    private long memory;
    private long ephemeralStorage;
    private long pods;
    private Map<String, Long> scalar;

    public Resources() {
    }

    /** The resources of a {@code requests}/{@code allocatable} map. */
    public static Resources of(Map<String, Quantity> list) {
        Resources r = new Resources();
        r.add(list);
        return r;
    }

    public Resources copy() {
        Resources c = new Resources();
        c.milliCpu = milliCpu;
        c.memory = memory;
        c.ephemeralStorage = ephemeralStorage;
        c.pods = pods;
        if (scalar != null) {
            c.scalar = new HashMap<>(scalar);
        }
        return c;
    }

    public void add(Map<String, Quantity> list) {
        if (list == null) {
            return;
        }
        list.forEach((name, q) -> set(name, get(name) + amount(name, q)));
    }

    public void add(Resources other) {
        milliCpu += other.milliCpu;
        memory += other.memory;
        ephemeralStorage += other.ephemeralStorage;
        pods += other.pods;
        if (other.scalar != null) {
            other.scalar.forEach((k, v) -> set(k, get(k) + v));
        }
    }

    public void subtract(Resources other) {
        milliCpu -= other.milliCpu;
        memory -= other.memory;
        ephemeralStorage -= other.ephemeralStorage;
        pods -= other.pods;
        if (other.scalar != null) {
            other.scalar.forEach((k, v) -> set(k, get(k) - v));
        }
    }

    /** Each resource the larger of this and {@code other} (an init container's peak). */
    public void max(Resources other) {
        milliCpu = Math.max(milliCpu, other.milliCpu);
        memory = Math.max(memory, other.memory);
        ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
        pods = Math.max(pods, other.pods);
        if (other.scalar != null) {
            other.scalar.forEach((k, v) -> set(k, Math.max(get(k), v)));
        }
    }

    public long get(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            case PODS -> pods;
            default -> scalar == null ? 0 : scalar.getOrDefault(name, 0L);
        };
    }

    public void set(String name, long value) {
        switch (name) {
            case CPU -> milliCpu = value;
            case MEMORY -> memory = value;
            case EPHEMERAL_STORAGE -> ephemeralStorage = value;
            case PODS -> pods = value;
            default -> {
                if (!isScalar(name)) {
                    return;
                }
                if (scalar == null) {
                    scalar = new HashMap<>();
                }
                scalar.put(name, value);
            }
        }
    }

    public long milliCpu() {
        return milliCpu;
    }

    public long memory() {
        return memory;
    }

    public long ephemeralStorage() {
        return ephemeralStorage;
    }

    public long pods() {
        return pods;
    }

    /** Extended resources, hugepages and attachable volumes, by name (read-only view). */
    public Map<String, Long> scalar() {
        return scalar == null ? Map.of() : java.util.Collections.unmodifiableMap(scalar);
    }

    public boolean isZero() {
        return milliCpu == 0 && memory == 0 && ephemeralStorage == 0
                && (scalar == null || scalar.values().stream().allMatch(v -> v == 0));
    }

    /**
     * Whether {@code name} is one the scheduler accounts as an integer scalar: extended
     * resources (a domain outside kubernetes.io), hugepages and attachable volumes.
     */
    public static boolean isScalar(String name) {
        if (name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")) {
            return true;
        }
        int slash = name.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String domain = name.substring(0, slash);
        return !domain.equals("kubernetes.io") && !domain.endsWith(".kubernetes.io")
                && !name.startsWith("requests.");
    }

    /** A quantity in the scheduler's unit for {@code name}: milli for CPU, rounded up. */
    static long amount(String name, Quantity q) {
        BigDecimal value = q.getNumericalAmount();
        if (name.equals(CPU)) {
            value = value.movePointRight(3);
        }
        return value.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    @Override
    public String toString() {
        return "Resources{cpu=" + milliCpu + "m, memory=" + memory + ", ephemeral=" + ephemeralStorage + ", pods="
                + pods + (scalar == null ? "" : ", " + scalar) + "}";
    }
}
