package dev.konductor.api.validation;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CIDR as upstream parses the older API fields ({@code ipBlock.cidr} and its {@code except}):
 * IPv4 octets may carry leading zeros and the address may have host bits set, which a newer
 * field would refuse. Its addresses are {@code first}, then {@code 2^(bits-prefix)} more.
 *
 * @param first  the network address (host bits cleared), as an unsigned number
 * @param bits   32 or 128
 * @param prefix the prefix length
 */
record LegacyCidr(BigInteger first, int bits, int prefix) {

    static final String INVALID = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    static Optional<LegacyCidr> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(text.substring(slash + 1));
        Optional<byte[]> address = address(text.substring(0, slash));
        if (address.isEmpty() || prefix > address.get().length * 8) {
            return Optional.empty();
        }
        int bits = address.get().length * 8;
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        return Optional.of(new LegacyCidr(new BigInteger(1, address.get()).andNot(hostMask), bits, prefix));
    }

    /** Whether {@code other} lies inside this range and is smaller (upstream's test for an except). */
    boolean strictlyContains(LegacyCidr other) {
        if (other.bits != bits || other.prefix <= prefix) {
            return false;
        }
        return other.first.shiftRight(bits - prefix).equals(first.shiftRight(bits - prefix));
    }

    private static Optional<byte[]> address(String text) {
        Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) octet;
            }
            return Optional.of(bytes);
        }
        if (text.indexOf(':') < 0 || text.indexOf('%') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Inet6Address.ofLiteral(text).getAddress());
        } catch (IllegalArgumentException notAnAddress) {
            return Optional.empty();
        }
    }
}
