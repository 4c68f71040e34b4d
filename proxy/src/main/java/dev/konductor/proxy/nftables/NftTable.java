package dev.konductor.proxy.nftables;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One nftables table kept in step with the rulesets handed to {@link #apply}: each change is one
 * {@code nft -f} transaction (see {@link NftScript}), an update on top of what was applied last,
 * or a replacement of the whole table when nothing is known about it yet (the first apply, which
 * also sweeps away a crashed run's table) or when an update fails (someone changed the table
 * behind our back).
 */
public final class NftTable {

    private static final Logger log = LoggerFactory.getLogger(NftTable.class);

    private final String family;
    private final String name;
    private final CommandRunner runner;
    private NftRuleset applied; // what the kernel holds; null when unknown. Guarded by this.

    public NftTable(String family, String name, CommandRunner runner) {
        this.family = family;
        this.name = name;
        this.runner = runner;
    }

    /** Makes the kernel's table hold {@code desired}; an unchanged ruleset costs nothing. */
    public synchronized void apply(NftRuleset desired) throws IOException, InterruptedException {
        if (!desired.family().equals(family) || !desired.table().equals(name)) {
            throw new IllegalArgumentException("ruleset of table " + desired.family() + " " + desired.table()
                    + " applied to table " + family + " " + name);
        }
        if (desired.equals(applied)) {
            return;
        }
        if (applied != null) {
            CommandRunner.Result result = runner.run(List.of("nft", "-f", "-"), NftScript.update(applied, desired));
            if (result.ok()) {
                applied = desired;
                return;
            }
            log.warn("nft update failed, replacing the table table={} error={}", name, result.stderr().strip());
            applied = null;
        }
        runner.check(List.of("nft", "-f", "-"), NftScript.replace(desired));
        applied = desired;
    }

    /** The ruleset last applied, null before the first apply or after a failed one. */
    public synchronized NftRuleset applied() {
        return applied;
    }

    /** Removes the table and everything in it (nothing happens if it does not exist). */
    public synchronized void delete() throws IOException, InterruptedException {
        applied = null;
        runner.check(List.of("nft", "-f", "-"), NftScript.delete(family, name));
    }
}
