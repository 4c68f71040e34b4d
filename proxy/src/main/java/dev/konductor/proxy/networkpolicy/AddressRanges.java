package dev.konductor.proxy.networkpolicy;

import dev.konductor.proxy.model.Cidr;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A set of IP addresses, as sorted, disjoint, non-adjacent intervals per family: what a rule's
 * peers come to once pod IPs and {@code ipBlock}s (with their {@code except}s cut out) are
 * merged. Equal sets are equal values, so equal clusters give equal models.
 *
 * @param ipv4 the IPv4 intervals
 * @param ipv6 the IPv6 intervals
 */
public record AddressRanges(List<Interval> ipv4, List<Interval> ipv6) {

    public static final AddressRanges EMPTY = new AddressRanges(List.of(), List.of());

    /** The addresses {@code first} to {@code last}, both included, as unsigned numbers. */
    public record Interval(BigInteger first, BigInteger last) {
        public Interval {
            if (first.compareTo(last) > 0) {
                throw new IllegalArgumentException("interval ends before it starts: " + first + " > " + last);
            }
        }
    }

    public AddressRanges {
        ipv4 = merged(ipv4);
        ipv6 = merged(ipv6);
    }

    public static AddressRanges of(Cidr cidr) {
        BigInteger first = number(cidr.network());
        int bits = cidr.isIpv4() ? 32 : 128;
        BigInteger last = first.add(BigInteger.ONE.shiftLeft(bits - cidr.prefixLength())).subtract(BigInteger.ONE);
        List<Interval> interval = List.of(new Interval(first, last));
        return cidr.isIpv4() ? new AddressRanges(interval, List.of()) : new AddressRanges(List.of(), interval);
    }

    public static AddressRanges of(InetAddress address) {
        List<Interval> interval = List.of(new Interval(number(address), number(address)));
        return address instanceof Inet4Address ? new AddressRanges(interval, List.of()) : new AddressRanges(List.of(), interval);
    }

    public static AddressRanges of(Collection<InetAddress> addresses) {
        List<Interval> v4 = new ArrayList<>();
        List<Interval> v6 = new ArrayList<>();
        for (InetAddress address : addresses) {
            (address instanceof Inet4Address ? v4 : v6).add(new Interval(number(address), number(address)));
        }
        return new AddressRanges(v4, v6);
    }

    public AddressRanges union(AddressRanges other) {
        return new AddressRanges(concat(ipv4, other.ipv4), concat(ipv6, other.ipv6));
    }

    /** These addresses without those of {@code cut}. */
    public AddressRanges minus(AddressRanges cut) {
        return new AddressRanges(minus(ipv4, cut.ipv4), minus(ipv6, cut.ipv6));
    }

    public boolean contains(InetAddress address) {
        BigInteger n = number(address);
        for (Interval interval : address instanceof Inet4Address ? ipv4 : ipv6) {
            if (interval.first.compareTo(n) <= 0 && n.compareTo(interval.last) <= 0) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return ipv4.isEmpty() && ipv6.isEmpty();
    }

    /** The IPv4 intervals as nftables set elements: {@code 10.0.0.1}, {@code 10.0.0.0/8} or {@code a-b}. */
    public List<String> ipv4Elements() {
        return ipv4.stream().map(interval -> element(interval, 4)).toList();
    }

    /** The IPv6 intervals as nftables set elements. */
    public List<String> ipv6Elements() {
        return ipv6.stream().map(interval -> element(interval, 16)).toList();
    }

    private static String element(Interval interval, int bytes) {
        String first = address(interval.first, bytes);
        if (interval.first.equals(interval.last)) {
            return first;
        }
        BigInteger size = interval.last.subtract(interval.first).add(BigInteger.ONE);
        int hostBits = size.bitLength() - 1;
        boolean powerOfTwo = size.bitCount() == 1;
        if (powerOfTwo && (interval.first.signum() == 0 || interval.first.getLowestSetBit() >= hostBits)) {
            return first + "/" + (bytes * 8 - hostBits);
        }
        return first + "-" + address(interval.last, bytes);
    }

    private static BigInteger number(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    private static String address(BigInteger number, int bytes) {
        byte[] raw = number.toByteArray();
        byte[] out = new byte[bytes];
        int copy = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
        try {
            return InetAddress.getByAddress(out).getHostAddress();
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static List<Interval> concat(List<Interval> a, List<Interval> b) {
        List<Interval> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Sorted, with overlapping and adjacent intervals joined. */
    private static List<Interval> merged(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparing(Interval::first));
        List<Interval> out = new ArrayList<>();
        for (Interval next : sorted) {
            if (!out.isEmpty() && out.getLast().last.add(BigInteger.ONE).compareTo(next.first) >= 0) {
                Interval last = out.removeLast();
                out.add(new Interval(last.first, last.last.max(next.last)));
            } else {
                out.add(next);
            }
        }
        return List.copyOf(out);
    }

    private static List<Interval> minus(List<Interval> from, List<Interval> cut) {
        List<Interval> remaining = new ArrayList<>(from);
        for (Interval hole : cut) {
            List<Interval> next = new ArrayList<>();
            for (Interval interval : remaining) {
                if (hole.last.compareTo(interval.first) < 0 || hole.first.compareTo(interval.last) > 0) {
                    next.add(interval);
                    continue;
                }
                if (interval.first.compareTo(hole.first) < 0) {
                    next.add(new Interval(interval.first, hole.first.subtract(BigInteger.ONE)));
                }
                if (hole.last.compareTo(interval.last) < 0) {
                    next.add(new Interval(hole.last.add(BigInteger.ONE), interval.last));
                }
            }
            remaining = next;
        }
        return remaining;
    }
}
