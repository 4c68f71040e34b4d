package dev.konductor.server.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address range such as {@code 10.96.0.0/12}, held as its network address (host
 * bits cleared) and prefix length.
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length must be between 0 and " + bits + ": " + prefixLength);
        }
        network = masked(network, prefixLength);
    }

    /**
     * Parses {@code address/prefix}. The address must be an IP literal: a host name here would
     * mean a DNS lookup on every start.
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("CIDR must look like 10.96.0.0/12: " + text);
        }
        InetAddress address;
        int prefix;
        try {
            address = InetAddress.ofLiteral(text.substring(0, slash));
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CIDR must look like 10.96.0.0/12: " + text, e);
        }
        return new Cidr(address, prefix);
    }

    /**
     * The address after the network address, e.g. {@code 10.96.0.1} for {@code 10.96.0.0/12}.
     * Kubernetes gives it to the {@code kubernetes} Service, so the API serving certificate
     * must name it.
     */
    public InetAddress firstHost() {
        return host(1);
    }

    /** The address {@code offset} after the network address, e.g. the tenth: kubeadm's cluster DNS address. */
    public InetAddress host(int offset) {
        int hostBits = network.getAddress().length * 8 - prefixLength;
        if (offset < 1 || (hostBits < 31 && BigInteger.valueOf(offset).compareTo(BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE)) >= 0)) {
            throw new IllegalArgumentException(this + " has no room for a host address"
                    + (offset == 1 ? "" : " at offset " + offset));
        }
        return fromInteger(toInteger(network).add(BigInteger.valueOf(offset)), network.getAddress().length);
    }

    public boolean contains(InetAddress address) {
        return address.getAddress().length == network.getAddress().length
                && masked(address, prefixLength).equals(network);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static InetAddress masked(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.clamp(prefixLength - i * 8L, 0, 8);
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        return byAddress(bytes);
    }

    private static BigInteger toInteger(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    private static InetAddress fromInteger(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        return byAddress(bytes);
    }

    static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + bytes.length + " bytes", e);
        }
    }
}
