package dev.konductor.proxy.networkpolicy;

import dev.konductor.proxy.nftables.CommandRunner;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the node's Linux bridges hand the packets they switch to IP netfilter, so that the
 * policy rules at the forward hook see traffic between two pods of the same bridge (the CNI
 * bridge plugin puts every pod of a node on one bridge, and without this such packets never
 * leave the bridge layer). This is upstream's node prerequisite for bridge-based networks
 * ({@code br_netfilter} loaded, {@code net.bridge.bridge-nf-call-iptables=1}), which kubenet
 * also enforced; the settings belong to a network namespace, so a node agent in its own
 * namespace changes only its own.
 *
 * <p>The bridge family of nftables is no substitute: connection tracking there needs
 * {@code nf_conntrack_bridge}, which common kernels lack (the kernel then refuses any
 * {@code ct} match in a bridge table), and without it replies of allowed connections could not
 * be told apart.
 *
 * <p>The settings are left on when the enforcer stops, like the node's other networking
 * prerequisites ({@code ip_forward}): other firewalls of the node may rely on them by then.
 */
public final class BridgeNetfilter {

    /** Whether bridged pod traffic reaches the policy rules. */
    public enum State {
        /** It was on already. */
        ON,
        /** It was off and is on now. */
        TURNED_ON,
        /** It cannot be turned on here: traffic between pods of one bridge is not filtered. */
        UNAVAILABLE
    }

    static final List<String> SETTINGS = List.of("net.bridge.bridge-nf-call-iptables",
            "net.bridge.bridge-nf-call-ip6tables");

    private static final Logger log = LoggerFactory.getLogger(BridgeNetfilter.class);

    private final CommandRunner runner;

    BridgeNetfilter(CommandRunner runner) {
        this.runner = runner;
    }

    /** Loads {@code br_netfilter} when its settings are missing and turns them on; says how it went. */
    State ensure() throws InterruptedException {
        try {
            if (read(SETTINGS.getFirst()) == null) {
                CommandRunner.Result loaded = runner.run(List.of("modprobe", "br_netfilter"), "");
                if (!loaded.ok()) {
                    log.warn("cannot load br_netfilter error={}", loaded.stderr().strip());
                }
            }
            State state = State.ON;
            for (String setting : SETTINGS) {
                String value = read(setting);
                if (value == null) {
                    log.warn("bridge netfilter is missing: pod-to-pod traffic on this node's bridge is not filtered setting={}",
                            setting);
                    return State.UNAVAILABLE;
                }
                if (!value.equals("1")) {
                    CommandRunner.Result set = runner.run(List.of("sysctl", "-w", setting + "=1"), "");
                    if (!set.ok()) {
                        log.warn("cannot turn bridge netfilter on: pod-to-pod traffic on this node's bridge is not filtered "
                                + "setting={} error={}", setting, set.stderr().strip());
                        return State.UNAVAILABLE;
                    }
                    log.info("bridge netfilter turned on so that NetworkPolicies see bridged pod traffic setting={}", setting);
                    state = State.TURNED_ON;
                }
            }
            return state;
        } catch (IOException e) {
            log.warn("cannot check bridge netfilter: pod-to-pod traffic on this node's bridge may not be filtered error={}",
                    e.getMessage());
            return State.UNAVAILABLE;
        }
    }

    /** The setting's value, or null when the kernel does not have it. */
    private String read(String setting) throws IOException, InterruptedException {
        CommandRunner.Result result = runner.run(List.of("sysctl", "-n", setting), "");
        return result.ok() ? result.stdout().strip() : null;
    }
}
