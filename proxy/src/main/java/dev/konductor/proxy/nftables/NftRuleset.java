package dev.konductor.proxy.nftables;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The content of one nftables table, as values: what the renderer produces and the transaction
 * writer turns into an {@code nft -f} script. Two equal rulesets program the kernel identically.
 *
 * @param family {@code ip} or {@code ip6}
 * @param table  the table's name
 * @param chains in the order they are written
 * @param sets   sets and maps, in the order they are written
 */
public record NftRuleset(String family, String table, List<Chain> chains, List<NamedSet> sets) {

    public NftRuleset {
        chains = List.copyOf(chains);
        sets = List.copyOf(sets);
    }

    /**
     * A chain.
     *
     * @param name  its name
     * @param hook  present for a base chain (one the kernel calls from a netfilter hook)
     * @param rules each rule's text after {@code add rule FAMILY TABLE CHAIN}
     */
    public record Chain(String name, Optional<Hook> hook, List<String> rules) {
        public Chain {
            rules = List.copyOf(rules);
        }

        /** The {@code { ... }} that declares it, empty for a regular chain. */
        String declaration() {
            return hook.map(h -> " { type " + h.type() + " hook " + h.hook() + " priority " + h.priority()
                    + "; policy accept; }").orElse("");
        }
    }

    /** Where a base chain attaches: {@code type filter hook output priority -110}. */
    public record Hook(String type, String hook, int priority) {
    }

    /**
     * A set or map.
     *
     * @param name     its name
     * @param map      whether it is a map ({@code add map}) rather than a set
     * @param type     its type, e.g. {@code ipv4_addr . inet_proto . inet_service : verdict}
     * @param flags    e.g. {@code dynamic}, {@code timeout}
     * @param timeout  the default element timeout, for sets the rules update
     * @param dynamic  whether the kernel fills it ({@code update @set}): its elements are state
     *                 that must survive a re-sync, so it is never flushed
     * @param elements the elements (empty for a dynamic set)
     */
    public record NamedSet(String name, boolean map, String type, List<String> flags, Optional<Duration> timeout,
                           boolean dynamic, List<String> elements) {
        public NamedSet {
            flags = List.copyOf(flags);
            elements = List.copyOf(elements);
        }

        String keyword() {
            return map ? "map" : "set";
        }

        /** The {@code { type ...; }} that declares it; a change means the set must be made anew. */
        String declaration() {
            StringBuilder out = new StringBuilder(" { type ").append(type).append(';');
            if (!flags.isEmpty()) {
                out.append(" flags ").append(String.join(",", flags)).append(';');
            }
            timeout.ifPresent(t -> out.append(" timeout ").append(t.toSeconds()).append("s;"));
            return out.append(" }").toString();
        }
    }
}
