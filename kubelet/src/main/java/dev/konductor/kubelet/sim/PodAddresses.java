package dev.konductor.kubelet.sim;

import java.util.BitSet;

/**
 * One node's pod IPs, handed out from its pod CIDR as host-local IPAM does: the network address,
 * the gateway (.1) and the broadcast address are never used, and a released address is used
 * again only after every other free one (the search goes round from the last one handed out).
 */
final class PodAddresses {

    private final Ipv4.Cidr cidr;
    private final int size;
    private final BitSet used;
    private int next = 2;

    PodAddresses(Ipv4.Cidr cidr) {
        this.cidr = cidr;
        // a huge range (a /8 pod CIDR) is used only as far as a node could ever need
        this.size = (int) Math.min(cidr.size(), 1 << 16);
        this.used = new BitSet(size);
        used.set(0, Math.min(size, 2));
        if (size == cidr.size()) {
            used.set(size - 1);
        }
    }

    /** A free address, or null if the range is exhausted. */
    synchronized String allocate() {
        for (int i = 0; i < size; i++) {
            int candidate = (next + i) % size;
            if (!used.get(candidate)) {
                used.set(candidate);
                next = (candidate + 1) % size;
                return Ipv4.format(cidr.base() + candidate);
            }
        }
        return null;
    }

    /** Marks an address already in use (a pod that was running before this process started). */
    synchronized boolean reserve(String address) {
        int offset = offset(address);
        if (offset < 0) {
            return false;
        }
        used.set(offset);
        return true;
    }

    synchronized void release(String address) {
        int offset = offset(address);
        if (offset >= 2 && !(size == cidr.size() && offset == size - 1)) {
            used.clear(offset);
        }
    }

    private int offset(String address) {
        java.util.OptionalInt ip = Ipv4.parse(address);
        if (ip.isEmpty() || !cidr.contains(ip.getAsInt())) {
            return -1;
        }
        int offset = ip.getAsInt() - cidr.base();
        return offset < size ? offset : -1;
    }
}
