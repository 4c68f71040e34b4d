package dev.konductor.kubelet.sim;

/**
 * Where simulated nodes and pods live: inside 198.18.0.0/15, the range set aside for benchmark
 * tests (RFC 2544), which no network routes. So a proxy that programs Service endpoints from these
 * pods, or anything else that tries to reach them, sends packets nowhere real.
 *
 * <p>The range is cut into equal blocks, each big enough for a node's pods plus the network,
 * gateway and broadcast addresses. The first blocks hold the node addresses (node i gets the
 * (i+1)-th address of the range); every node then gets the next block as its pod CIDR.
 */
final class AddressPlan {

    static final String RANGE = "198.18.0.0/15";
    private static final int RANGE_BASE = (198 << 24) | (18 << 16);
    private static final int RANGE_SIZE = 1 << 17;

    private final int nodes;
    private final int blockBits;
    private final int nodeBlocks;

    AddressPlan(int nodes, int podsPerNode) {
        int blockSize = Integer.highestOneBit(Math.max(4, podsPerNode + 3) - 1) << 1;
        this.nodes = nodes;
        this.blockBits = Integer.numberOfTrailingZeros(blockSize);
        this.nodeBlocks = (nodes + 1 + blockSize - 1) / blockSize;
        long needed = (long) (nodeBlocks + nodes) * blockSize;
        if (needed > RANGE_SIZE) {
            throw new IllegalArgumentException(RANGE + " cannot hold " + nodes + " simulated nodes of " + podsPerNode
                    + " pods each: use fewer nodes or fewer pods per node");
        }
    }

    /** Node {@code index}'s InternalIP. */
    String nodeAddress(int index) {
        check(index);
        return Ipv4.format(RANGE_BASE + index + 1);
    }

    /** Node {@code index}'s pod CIDR. */
    String podCidr(int index) {
        check(index);
        int start = RANGE_BASE + ((nodeBlocks + index) << blockBits);
        return Ipv4.format(start) + "/" + (32 - blockBits);
    }

    private void check(int index) {
        if (index < 0 || index >= nodes) {
            throw new IllegalArgumentException("no node " + index + " among " + nodes);
        }
    }
}
