package dev.konductor.controllers.nodeipam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which node holds which pod CIDRs, over one {@link CidrSet} per cluster CIDR (two for
 * dual-stack). It remembers the holder of every range by node name and uid, so that asking
 * again for a node that was already given ranges (its update not yet in the informer cache)
 * answers the same ranges instead of taking new ones: a range is never handed out twice.
 * Pure bookkeeping, no I/O; thread-safe.
 */
final class RangeAllocator {

    /** What {@link #assign} decided. */
    sealed interface Outcome permits Assigned, Exhausted {
    }

    /** The node's ranges, one per cluster CIDR; {@code fresh} when just taken (not a repeat). */
    record Assigned(List<Cidr> cidrs, boolean fresh) implements Outcome {
    }

    /** No free range is left in {@code cluster}. */
    record Exhausted(Cidr cluster) implements Outcome {
    }

    private record Holding(String uid, List<Cidr> cidrs) {
    }

    private final List<CidrSet> sets;
    private final Map<String, Holding> byNode = new HashMap<>();

    RangeAllocator(List<CidrSet> sets) {
        this.sets = List.copyOf(sets);
    }

    /**
     * Records that node {@code name} (uid {@code uid}) has {@code cidrs} in its spec: those within
     * a cluster CIDR are taken from now on; those outside (set by whoever made the node) are left
     * alone and returned. Replaces what the node held before.
     */
    synchronized List<Cidr> observe(String name, String uid, List<Cidr> cidrs) {
        List<Cidr> inRange = new ArrayList<>();
        List<Cidr> outside = new ArrayList<>();
        for (Cidr cidr : cidrs) {
            (sets.stream().anyMatch(s -> s.contains(cidr)) ? inRange : outside).add(cidr);
        }
        Holding previous = byNode.get(name);
        if (previous != null && previous.uid().equals(uid) && previous.cidrs().equals(inRange)) {
            return outside;
        }
        // take the new ranges before letting go of the old, so that a node keeping one range
        // never leaves it free for a moment
        inRange.forEach(this::occupy);
        byNode.put(name, new Holding(uid, List.copyOf(inRange)));
        if (previous != null) {
            previous.cidrs().forEach(this::free);
        }
        return outside;
    }

    /**
     * Ranges for node {@code name}, which has none in its spec: the ones it was given already,
     * or a fresh one from each cluster CIDR.
     */
    synchronized Outcome assign(String name, String uid) {
        Holding previous = byNode.get(name);
        if (previous != null && previous.uid().equals(uid) && previous.cidrs().size() == sets.size()) {
            return new Assigned(previous.cidrs(), false);
        }
        release(name);
        List<Cidr> taken = new ArrayList<>();
        for (CidrSet set : sets) {
            var next = set.allocateNext();
            if (next.isEmpty()) {
                taken.forEach(this::free);
                return new Exhausted(set.cluster());
            }
            taken.add(next.get());
        }
        byNode.put(name, new Holding(uid, List.copyOf(taken)));
        return new Assigned(List.copyOf(taken), true);
    }

    /** Frees what node {@code name} held; returns whether it held anything. */
    synchronized boolean release(String name) {
        Holding holding = byNode.remove(name);
        if (holding == null) {
            return false;
        }
        holding.cidrs().forEach(this::free);
        return !holding.cidrs().isEmpty();
    }

    /** Frees {@code cidrs} if they are still what node {@code name} holds (an assignment that did not stick). */
    synchronized void abandon(String name, List<Cidr> cidrs) {
        Holding holding = byNode.get(name);
        if (holding != null && Objects.equals(holding.cidrs(), cidrs)) {
            release(name);
        }
    }

    /** The ranges node {@code name} holds, empty if none. */
    synchronized List<Cidr> held(String name) {
        Holding holding = byNode.get(name);
        return holding == null ? List.of() : holding.cidrs();
    }

    /** Taken ranges per cluster CIDR, for logs and tests. */
    synchronized Map<String, Integer> usage() {
        Map<String, Integer> usage = new HashMap<>();
        sets.forEach(s -> usage.put(s.cluster().toString(), s.taken()));
        return usage;
    }

    private void occupy(Cidr cidr) {
        sets.forEach(s -> s.occupy(cidr));
    }

    private void free(Cidr cidr) {
        sets.forEach(s -> s.release(cidr));
    }
}
