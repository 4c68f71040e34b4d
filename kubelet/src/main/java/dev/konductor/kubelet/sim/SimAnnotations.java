package dev.konductor.kubelet.sim;

/**
 * Pod annotations that steer what a simulated node does with a pod. Values are read each time
 * the node looks at the pod, so changing one on a running pod takes effect (readiness at once,
 * usage at the next metrics report).
 */
public final class SimAnnotations {

    /** {@code "false"}: the pod runs but its containers never become ready (Ready=False, ContainersNotReady). */
    public static final String READY = "sim.konductor.dev/ready";
    /** CPU each container reports using, a quantity ({@code 250m}); default {@link #DEFAULT_CPU_USAGE}. */
    public static final String CPU_USAGE = "sim.konductor.dev/cpu-usage";
    /** Memory each container reports using, a quantity ({@code 64Mi}); default {@link #DEFAULT_MEMORY_USAGE}. */
    public static final String MEMORY_USAGE = "sim.konductor.dev/memory-usage";
    /**
     * How long the pod runs before its containers exit ({@code 30s}, {@code 2m}, {@code 500ms}); Job
     * pods default to the node's job pod duration, other pods run until deleted.
     */
    public static final String RUN_DURATION = "sim.konductor.dev/run-duration";
    /** The exit code of a finishing pod's containers; 0 (default) is Succeeded, anything else Failed. */
    public static final String EXIT_CODE = "sim.konductor.dev/exit-code";

    public static final String DEFAULT_CPU_USAGE = "1m";
    public static final String DEFAULT_MEMORY_USAGE = "8Mi";

    private SimAnnotations() {
    }
}
