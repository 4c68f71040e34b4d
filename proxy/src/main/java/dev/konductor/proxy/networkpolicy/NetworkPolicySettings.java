package dev.konductor.proxy.networkpolicy;

import java.time.Duration;

/**
 * How a node enforces NetworkPolicies.
 *
 * @param nodeName        the node it runs on: only its pods are isolated here
 * @param table           the nftables table, in family {@code inet}
 * @param bridgeNetfilter whether to turn on {@code br_netfilter}'s settings at start (see
 *                        {@link BridgeNetfilter}); without them traffic between two pods of one
 *                        bridge is not filtered
 * @param minSyncInterval changes arriving faster are coalesced into one sync per interval
 * @param resyncInterval  a full sync runs at least this often, repairing outside interference
 */
public record NetworkPolicySettings(String nodeName, String table, boolean bridgeNetfilter, Duration minSyncInterval,
                                    Duration resyncInterval) {

    public static final String DEFAULT_TABLE = "konductor-netpol";
    public static final Duration DEFAULT_MIN_SYNC_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(30);

    public NetworkPolicySettings {
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("nodeName must be set");
        }
        if (table == null || !table.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("not an nftables table name: " + table);
        }
    }

    /** The default table, bridge netfilter turned on, 100 ms coalescing, 30 s resync. */
    public static NetworkPolicySettings defaults(String nodeName) {
        return new NetworkPolicySettings(nodeName, DEFAULT_TABLE, true, DEFAULT_MIN_SYNC_INTERVAL,
                DEFAULT_RESYNC_INTERVAL);
    }

    /** Another table, e.g. for a test that must not meet a real node's. */
    public NetworkPolicySettings withTable(String value) {
        return new NetworkPolicySettings(nodeName, value, bridgeNetfilter, minSyncInterval, resyncInterval);
    }
}
