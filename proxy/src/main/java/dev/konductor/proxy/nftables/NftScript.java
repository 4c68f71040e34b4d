package dev.konductor.proxy.nftables;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes the {@code nft -f} scripts that move the kernel's table to a {@link NftRuleset}. nft
 * applies a whole script as one transaction, so packets see either the old rules or the new ones,
 * never a mixture.
 *
 * <p>An update leaves the table in place and rewrites the content of every chain and static
 * map; only dynamic sets (session affinity) keep their elements, so clients stay with their
 * endpoint across syncs. Chains and sets that are no longer wanted are deleted at the end, once
 * nothing refers to them.
 */
public final class NftScript {

    private NftScript() {
    }

    /** A script that replaces whatever table of this name exists (perhaps a crashed run's) with {@code desired}. */
    public static String replace(NftRuleset desired) {
        StringBuilder out = new StringBuilder();
        String table = desired.family() + " " + desired.table();
        out.append("add table ").append(table).append('\n');
        out.append("delete table ").append(table).append('\n');
        appendContent(out, desired, null);
        return out.toString();
    }

    /** A script that turns the table holding {@code previous} (as last applied) into {@code desired}. */
    public static String update(NftRuleset previous, NftRuleset desired) {
        if (!previous.family().equals(desired.family()) || !previous.table().equals(desired.table())) {
            throw new IllegalArgumentException("an update stays within one table: " + previous.table() + " vs " + desired.table());
        }
        StringBuilder out = new StringBuilder();
        appendContent(out, desired, previous);
        return out.toString();
    }

    /** A script that removes the table and everything in it. */
    public static String delete(String family, String table) {
        return "add table " + family + " " + table + "\ndelete table " + family + " " + table + "\n";
    }

    private static void appendContent(StringBuilder out, NftRuleset desired, NftRuleset previous) {
        String table = desired.family() + " " + desired.table();
        Map<String, NftRuleset.NamedSet> newSets = desired.sets().stream()
                .collect(Collectors.toMap(NftRuleset.NamedSet::name, Function.identity()));
        Set<String> newChains = desired.chains().stream().map(NftRuleset.Chain::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> staleChains = previous == null ? List.of() : previous.chains().stream()
                .map(NftRuleset.Chain::name).filter(name -> !newChains.contains(name)).toList();

        out.append("add table ").append(table).append('\n');
        for (NftRuleset.Chain chain : desired.chains()) {
            out.append("add chain ").append(table).append(' ').append(chain.name()).append(chain.declaration()).append('\n');
        }
        if (previous != null) {
            // empty every chain first: afterwards nothing refers to a set or chain about to go
            for (NftRuleset.Chain chain : previous.chains()) {
                out.append("flush chain ").append(table).append(' ').append(chain.name()).append('\n');
            }
            for (NftRuleset.NamedSet old : previous.sets()) {
                NftRuleset.NamedSet wanted = newSets.get(old.name());
                if (wanted == null || !wanted.declaration().equals(old.declaration()) || wanted.map() != old.map()) {
                    out.append("delete ").append(old.keyword()).append(' ').append(table).append(' ')
                            .append(old.name()).append('\n');
                } else if (!old.dynamic()) {
                    out.append("flush ").append(old.keyword()).append(' ').append(table).append(' ')
                            .append(old.name()).append('\n');
                }
            }
        }
        for (NftRuleset.NamedSet set : desired.sets()) {
            out.append("add ").append(set.keyword()).append(' ').append(table).append(' ').append(set.name())
                    .append(set.declaration()).append('\n');
        }
        for (NftRuleset.Chain chain : desired.chains()) {
            for (String rule : chain.rules()) {
                out.append("add rule ").append(table).append(' ').append(chain.name()).append(' ').append(rule).append('\n');
            }
        }
        for (NftRuleset.NamedSet set : desired.sets()) {
            if (!set.elements().isEmpty()) {
                out.append("add element ").append(table).append(' ').append(set.name()).append(" { ")
                        .append(String.join(", ", set.elements())).append(" }\n");
            }
        }
        for (String stale : staleChains) {
            out.append("delete chain ").append(table).append(' ').append(stale).append('\n');
        }
    }
}
