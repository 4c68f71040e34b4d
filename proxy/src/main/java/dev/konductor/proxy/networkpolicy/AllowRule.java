package dev.konductor.proxy.networkpolicy;

/**
 * One rule of a policy as it applies to one pod: traffic with a peer in {@code peers} to a port
 * in {@code ports} is allowed.
 */
public record AllowRule(Peers peers, Ports ports) {

    public static final AllowRule EVERYTHING = new AllowRule(Peers.ANY, Ports.ANY);

    /** Whether the rule cannot match any packet (no peer or no port left after resolving). */
    public boolean allowsNothing() {
        return peers.none() || ports.none();
    }
}
