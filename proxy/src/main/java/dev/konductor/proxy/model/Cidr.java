package dev.konductor.proxy.model;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An address range such as {@code 10.96.0.0/12}: its network address (host bits cleared) and
 * prefix length.
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length must be within 0.." + bits + ": " + prefixLength);
        }
        network = masked(network, prefixLength);
    }

    /** Parses {@code address/prefix}, never asking a resolver. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (address/prefix): " + text);
        }
        InetAddress address = IpLiterals.parse(text.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("not an IP address in CIDR: " + text));
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length in CIDR: " + text, e);
        }
        return new Cidr(address, prefix);
    }

    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    public boolean contains(InetAddress address) {
        if ((address instanceof Inet4Address) != isIpv4()) {
            return false;
        }
        return masked(address, prefixLength).equals(network);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        BigInteger value = new BigInteger(1, bytes);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .shiftRight(prefix).not();
        byte[] raw = value.and(mask).toByteArray();
        byte[] out = new byte[bytes.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return address instanceof Inet6Address ? InetAddress.getByAddress(out) : Inet4Address.getByAddress(out);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
