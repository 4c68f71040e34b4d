package dev.konductor.kubelet.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * The simulated nodes' shape and timings.
 *
 * @param namePrefix           nodes are called {@code <prefix>-0 ... <prefix>-(N-1)}, or just the
 *                             prefix when N is 1
 * @param nodes                how many
 * @param cpu                  capacity (= allocatable) CPU per node, a quantity ("32")
 * @param memory               capacity (= allocatable) memory per node, a quantity ("256Gi")
 * @param pods                 pod capacity per node
 * @param ephemeralStorage     capacity (= allocatable) ephemeral storage per node ("100Gi")
 * @param podStartDelay        how long a bound pod stays Pending before it runs
 * @param jobPodDuration       how long a pod owned by a Job runs before it Succeeds
 * @param maxGracePeriod       the longest a terminating pod is kept before the node deletes it,
 *                             whatever its grace period says (simulated containers stop at once)
 * @param leaseRenewInterval   how often each node's Lease is renewed (upstream: 10 s)
 * @param statusReportInterval how often node status is posted although nothing changed
 *                             (upstream's nodeStatusReportFrequency: 5 min)
 * @param metricsInterval      how often PodMetrics and NodeMetrics are written (upstream's
 *                             metrics-server resolution: 15 s); zero turns metrics off
 * @param apiConcurrency       requests to the API server in flight at once, for all nodes together
 */
public record SimSettings(String namePrefix, int nodes, String cpu, String memory, int pods,
                          String ephemeralStorage, Duration podStartDelay, Duration jobPodDuration,
                          Duration maxGracePeriod, Duration leaseRenewInterval, Duration statusReportInterval,
                          Duration metricsInterval, int apiConcurrency) {

    public static final String DEFAULT_EPHEMERAL_STORAGE = "100Gi";
    public static final Duration DEFAULT_POD_START_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_JOB_POD_DURATION = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_GRACE_PERIOD = Duration.ofSeconds(2);
    public static final Duration DEFAULT_LEASE_RENEW_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STATUS_REPORT_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(15);
    public static final int DEFAULT_API_CONCURRENCY = 64;

    public SimSettings {
        Objects.requireNonNull(namePrefix, "namePrefix");
        if (namePrefix.isEmpty()) {
            throw new IllegalArgumentException("node name prefix must not be empty");
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1: " + nodes);
        }
        if (pods < 1) {
            throw new IllegalArgumentException("pods per node must be at least 1: " + pods);
        }
        if (apiConcurrency < 1) {
            throw new IllegalArgumentException("apiConcurrency must be at least 1: " + apiConcurrency);
        }
        requireNotNegative("podStartDelay", podStartDelay);
        requireNotNegative("jobPodDuration", jobPodDuration);
        requireNotNegative("maxGracePeriod", maxGracePeriod);
        requirePositive("leaseRenewInterval", leaseRenewInterval);
        requirePositive("statusReportInterval", statusReportInterval);
        requireNotNegative("metricsInterval", metricsInterval);
    }

    /** Upstream's timings and a 100Gi disk. */
    public SimSettings(String namePrefix, int nodes, String cpu, String memory, int pods) {
        this(namePrefix, nodes, cpu, memory, pods, DEFAULT_EPHEMERAL_STORAGE, DEFAULT_POD_START_DELAY,
                DEFAULT_JOB_POD_DURATION, DEFAULT_MAX_GRACE_PERIOD, DEFAULT_LEASE_RENEW_INTERVAL,
                DEFAULT_STATUS_REPORT_INTERVAL, DEFAULT_METRICS_INTERVAL, DEFAULT_API_CONCURRENCY);
    }

    public SimSettings withPodTimings(Duration podStartDelay, Duration jobPodDuration, Duration maxGracePeriod) {
        return new SimSettings(namePrefix, nodes, cpu, memory, pods, ephemeralStorage, podStartDelay, jobPodDuration,
                maxGracePeriod, leaseRenewInterval, statusReportInterval, metricsInterval, apiConcurrency);
    }

    public SimSettings withNodeTimings(Duration leaseRenewInterval, Duration statusReportInterval) {
        return new SimSettings(namePrefix, nodes, cpu, memory, pods, ephemeralStorage, podStartDelay, jobPodDuration,
                maxGracePeriod, leaseRenewInterval, statusReportInterval, metricsInterval, apiConcurrency);
    }

    public SimSettings withMetricsInterval(Duration metricsInterval) {
        return new SimSettings(namePrefix, nodes, cpu, memory, pods, ephemeralStorage, podStartDelay, jobPodDuration,
                maxGracePeriod, leaseRenewInterval, statusReportInterval, metricsInterval, apiConcurrency);
    }

    public SimSettings withApiConcurrency(int apiConcurrency) {
        return new SimSettings(namePrefix, nodes, cpu, memory, pods, ephemeralStorage, podStartDelay, jobPodDuration,
                maxGracePeriod, leaseRenewInterval, statusReportInterval, metricsInterval, apiConcurrency);
    }

    /** The name of node {@code index}. */
    public String nodeName(int index) {
        return nodes == 1 ? namePrefix : namePrefix + "-" + index;
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
