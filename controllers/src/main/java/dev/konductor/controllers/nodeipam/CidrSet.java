package dev.konductor.controllers.nodeipam;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The node-sized subnets of one cluster CIDR and which of them are taken, as upstream's cidrset:
 * a cluster CIDR {@code /16} with {@code /24} per node holds 256 subnets. The next free subnet
 * is searched from just after the last one handed out, so a subnet released by a deleted node
 * is reused only after the others, never straight away.
 *
 * <p>Each subnet counts its holders rather than being a bit: if two nodes claim overlapping
 * ranges (set by hand, say), releasing one leaves the range taken for the other. Not
 * thread-safe; {@link RangeAllocator} serialises access.
 */
final class CidrSet {

    /** Upstream's bound: at most 2^16 node subnets per cluster CIDR. */
    static final int MAX_PREFIX_DIFFERENCE = 16;

    private final Cidr cluster;
    private final int nodePrefix;
    private final int[] holders;
    private int taken;
    private int nextCandidate;

    CidrSet(Cidr cluster, int nodePrefix) {
        if (nodePrefix < cluster.prefix()) {
            throw new IllegalArgumentException("node CIDR mask size /" + nodePrefix
                    + " must not be shorter than the cluster CIDR's " + cluster);
        }
        if (nodePrefix > cluster.bits()) {
            throw new IllegalArgumentException("node CIDR mask size /" + nodePrefix + " is too long for " + cluster);
        }
        if (nodePrefix - cluster.prefix() > MAX_PREFIX_DIFFERENCE) {
            throw new IllegalArgumentException("node CIDR mask size /" + nodePrefix + " is too long for " + cluster
                    + ": at most " + MAX_PREFIX_DIFFERENCE + " bits more than the cluster CIDR's (2^16 nodes)");
        }
        this.cluster = cluster;
        this.nodePrefix = nodePrefix;
        this.holders = new int[1 << (nodePrefix - cluster.prefix())];
    }

    Cidr cluster() {
        return cluster;
    }

    int nodePrefix() {
        return nodePrefix;
    }

    int size() {
        return holders.length;
    }

    /** Subnets with at least one holder. */
    int taken() {
        return taken;
    }

    /** Takes the next free subnet, or empty when every subnet is taken. */
    Optional<Cidr> allocateNext() {
        for (int i = 0; i < holders.length; i++) {
            int candidate = (nextCandidate + i) % holders.length;
            if (holders[candidate] == 0) {
                hold(candidate);
                nextCandidate = (candidate + 1) % holders.length;
                return Optional.of(subnet(candidate));
            }
        }
        return Optional.empty();
    }

    /**
     * Marks every subnet that {@code cidr} overlaps as taken (once more). Returns false, and
     * changes nothing, when {@code cidr} lies outside the cluster CIDR or is of the other family.
     */
    boolean occupy(Cidr cidr) {
        if (!cluster.overlaps(cidr)) {
            return false;
        }
        for (int i = first(cidr); i <= last(cidr); i++) {
            hold(i);
        }
        return true;
    }

    /** Undoes one {@link #occupy} or {@link #allocateNext} of {@code cidr}; outside the cluster CIDR, does nothing. */
    void release(Cidr cidr) {
        if (!cluster.overlaps(cidr)) {
            return;
        }
        for (int i = first(cidr); i <= last(cidr); i++) {
            if (holders[i] > 0 && --holders[i] == 0) {
                taken--;
            }
        }
    }

    boolean contains(Cidr cidr) {
        return cluster.overlaps(cidr);
    }

    private void hold(int index) {
        if (holders[index]++ == 0) {
            taken++;
        }
    }

    private Cidr subnet(int index) {
        BigInteger offset = BigInteger.valueOf(index).shiftLeft(cluster.bits() - nodePrefix);
        return new Cidr(cluster.base().add(offset), nodePrefix, cluster.ipv6());
    }

    private int first(Cidr cidr) {
        if (cidr.base().compareTo(cluster.base()) <= 0) {
            return 0;
        }
        return index(cidr.base());
    }

    private int last(Cidr cidr) {
        if (cidr.last().compareTo(cluster.last()) >= 0) {
            return holders.length - 1;
        }
        return index(cidr.last());
    }

    private int index(BigInteger address) {
        return address.subtract(cluster.base()).shiftRight(cluster.bits() - nodePrefix).intValueExact();
    }
}
