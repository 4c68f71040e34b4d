package dev.konductor.controllers.framework;

import dev.konductor.api.serviceaccount.SigningKey;
import java.time.Duration;

/**
 * The controller manager's tunables, with upstream's defaults.
 *
 * @param nodeMonitorGracePeriod  how long a node may go without a heartbeat before it is
 *                                marked Ready=Unknown (upstream: 40 s)
 * @param nodeMonitorPeriod       how often node health is checked (upstream: 5 s)
 * @param workers                 worker threads per controller (upstream's concurrent syncs: 5)
 * @param serviceAccountKey       signs the tokens of legacy service account token Secrets
 *                                (upstream's {@code --service-account-private-key-file}); null
 *                                leaves such Secrets unfilled
 * @param hostPathStorageRoot     the directory on each node under which the hostPath provisioner
 *                                makes volumes (a StorageClass's {@code path} parameter overrides it)
 */
public record ControllerSettings(Duration nodeMonitorGracePeriod, Duration nodeMonitorPeriod, int workers,
                                 SigningKey serviceAccountKey, String hostPathStorageRoot) {

    /** Where provisioned volumes live on a node unless configured otherwise. */
    public static final String DEFAULT_STORAGE_ROOT = "/var/lib/konductor/storage";

    public ControllerSettings(Duration nodeMonitorGracePeriod, Duration nodeMonitorPeriod, int workers) {
        this(nodeMonitorGracePeriod, nodeMonitorPeriod, workers, null, DEFAULT_STORAGE_ROOT);
    }

    public static ControllerSettings defaults() {
        return new ControllerSettings(Duration.ofSeconds(40), Duration.ofSeconds(5), 5);
    }

    public ControllerSettings withServiceAccountKey(SigningKey key) {
        return new ControllerSettings(nodeMonitorGracePeriod, nodeMonitorPeriod, workers, key, hostPathStorageRoot);
    }

    public ControllerSettings withHostPathStorageRoot(String root) {
        return new ControllerSettings(nodeMonitorGracePeriod, nodeMonitorPeriod, workers, serviceAccountKey, root);
    }
}
