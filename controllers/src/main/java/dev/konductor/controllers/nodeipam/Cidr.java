package dev.konductor.controllers.nodeipam;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation, normalised to its network address
 * ({@code 10.244.1.7/24} is {@code 10.244.1.0/24}). Addresses are held as unsigned integers so
 * that subnet arithmetic is plain addition and shifting, for both families alike.
 *
 * @param base   the network address as an unsigned integer
 * @param prefix the prefix length
 * @param ipv6   whether this is an IPv6 network (128 bits) rather than IPv4 (32 bits)
 */
record Cidr(BigInteger base, int prefix, boolean ipv6) {

    Cidr {
        if (prefix < 0 || prefix > bits(ipv6)) {
            throw new IllegalArgumentException("prefix length out of range for " + (ipv6 ? "IPv6" : "IPv4")
                    + ": " + prefix);
        }
        base = base.andNot(hostMask(ipv6, prefix));
    }

    /** The network {@code text} denotes, or empty when it is not an address literal with a prefix length. */
    static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            return Optional.empty();
        }
        String address = text.substring(0, slash);
        // InetAddress would resolve host names: accept literals only
        if (!address.matches("[0-9a-fA-F:.]+")) {
            return Optional.empty();
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        boolean v6 = address.contains(":");
        if (v6 && bytes.length == 4) {
            return Optional.empty(); // an IPv4-mapped IPv6 literal: neither family's CIDR
        }
        if (prefix < 0 || prefix > bits(v6)) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(new BigInteger(1, bytes), prefix, v6));
    }

    /** Like {@link #parse} but failing with a message that names {@code what}. */
    static Cidr parseOrThrow(String text, String what) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(what + " is not a valid CIDR: " + text));
    }

    int bits() {
        return bits(ipv6);
    }

    /** The last address of the network, as an unsigned integer. */
    BigInteger last() {
        return base.or(hostMask(ipv6, prefix));
    }

    /** Whether the two networks share at least one address. */
    boolean overlaps(Cidr other) {
        return ipv6 == other.ipv6 && base.compareTo(other.last()) <= 0 && other.base.compareTo(last()) <= 0;
    }

    @Override
    public String toString() {
        byte[] raw = base.toByteArray();
        byte[] bytes = new byte[bits() / 8];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try {
            String address = InetAddress.getByAddress(bytes).getHostAddress();
            return (ipv6 ? compressIpv6(address) : address) + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the length is 4 or 16
        }
    }

    private static int bits(boolean ipv6) {
        return ipv6 ? 128 : 32;
    }

    private static BigInteger hostMask(boolean ipv6, int prefix) {
        return BigInteger.ONE.shiftLeft(bits(ipv6) - prefix).subtract(BigInteger.ONE);
    }

    /** The JDK writes every group ({@code fd00:0:0:0:0:0:0:0}); Kubernetes writes the short form ({@code fd00::}). */
    private static String compressIpv6(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
