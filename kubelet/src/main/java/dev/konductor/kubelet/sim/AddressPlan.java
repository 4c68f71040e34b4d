package dev.konductor.kubelet.sim;

import java.util.List;

/**
 * Where simulated nodes and pods live: inside 198.18.0.0/15, the range set aside for benchmark
 * tests (RFC 2544), which no network routes. So a proxy that programs Service endpoints from these
 * pods, or anything else that tries to reach them, sends packets nowhere real. That range holds
 * about 1000 nodes of 110 pods; more nodes (upstream tests 5000) move to 240.0.0.0/4, reserved
 * since RFC 1112 and never assigned or routed either.
 *
 * <p>The range is cut into equal blocks, each big enough for a node's pods plus the network,
 * gateway and broadcast addresses. The first blocks hold the node addresses (node i gets the
 * (i+1)-th address of the range); every node then gets the next block as its pod CIDR.
 */
final class AddressPlan {

    /** An IPv4 range: its first address as an int (unsigned) and its size as a power of two. */
    private record Range(String cidr, int base, int sizeBits) {
    }

    static final String RANGE = "198.18.0.0/15";
    private static final List<Range> RANGES = List.of(
            new Range(RANGE, (198 << 24) | (18 << 16), 17),
            new Range("240.0.0.0/4", 240 << 24, 28));

    private final int nodes;
    private final Range range;
    private final int blockBits;
    private final int nodeBlocks;

    AddressPlan(int nodes, int podsPerNode) {
        int blockSize = Integer.highestOneBit(Math.max(4, podsPerNode + 3) - 1) << 1;
        this.nodes = nodes;
        this.blockBits = Integer.numberOfTrailingZeros(blockSize);
        this.nodeBlocks = (nodes + 1 + blockSize - 1) / blockSize;
        long needed = (long) (nodeBlocks + nodes) * blockSize;
        this.range = RANGES.stream().filter(r -> needed <= 1L << r.sizeBits()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(RANGES.getLast().cidr() + " cannot hold " + nodes
                        + " simulated nodes of " + podsPerNode + " pods each: use fewer nodes or fewer pods per node"));
    }

    /** The range this plan takes its addresses from. */
    String range() {
        return range.cidr();
    }

    /** Node {@code index}'s InternalIP. */
    String nodeAddress(int index) {
        check(index);
        return Ipv4.format(range.base() + index + 1);
    }

    /** Node {@code index}'s pod CIDR. */
    String podCidr(int index) {
        check(index);
        int start = range.base() + ((nodeBlocks + index) << blockBits);
        return Ipv4.format(start) + "/" + (32 - blockBits);
    }

    private void check(int index) {
        if (index < 0 || index >= nodes) {
            throw new IllegalArgumentException("no node " + index + " among " + nodes);
        }
    }
}
