package dev.konductor.proxy.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;

/**
 * IP address literals as they appear in the API and in DNS names, parsed without ever asking a
 * resolver ({@link InetAddress#getByName} would look a non-literal up).
 */
final class IpAddresses {

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DASHED_QUAD = Pattern.compile("\\d{1,3}(-\\d{1,3}){3}");
    private static final Pattern DASHED_V6 = Pattern.compile("[0-9a-fA-F-]+");
    private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");
    private static final Name IP6_ARPA = Name.fromConstantString("ip6.arpa.");

    private IpAddresses() {
    }

    /** An IPv4 dotted quad or an IPv6 literal; empty for anything else. */
    static Optional<InetAddress> parse(String literal) {
        if (literal == null || literal.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (literal.indexOf(':') >= 0) {
                return Optional.of(Inet6Address.ofLiteral(literal));
            }
            return DOTTED_QUAD.matcher(literal).matches() ? Optional.of(Inet4Address.ofLiteral(literal)) : Optional.empty();
        } catch (IllegalArgumentException notAnAddress) {
            return Optional.empty();
        }
    }

    /** One spelling per address, so that "fd00::a" and "fd00:0::a" meet in an index. */
    static String key(InetAddress address) {
        return address.getHostAddress();
    }

    static Optional<String> key(String literal) {
        return parse(literal).map(IpAddresses::key);
    }

    /**
     * The label Kubernetes DNS uses for an address: {@code 10-244-1-7}, {@code fd00--7}. Made from
     * the address as the API spells it, so it reads like the address users see.
     */
    static String dashed(String literal) {
        return literal.replace('.', '-').replace(':', '-');
    }

    /** The address a pod-style label ({@code 10-244-1-7}, {@code fd00--7}) stands for. */
    static Optional<InetAddress> fromDashed(String label) {
        if (DASHED_QUAD.matcher(label).matches()) {
            return parse(label.replace('-', '.'));
        }
        if (DASHED_V6.matcher(label).matches() && label.indexOf('-') >= 0) {
            return parse(label.replace('-', ':'));
        }
        return Optional.empty();
    }

    /** The address a reverse name ({@code 10.0.96.10.in-addr.arpa.}, 32 nibbles under ip6.arpa.) stands for. */
    static Optional<InetAddress> fromReverseName(Name name) {
        if (name.subdomain(IN_ADDR_ARPA) && name.labels() == IN_ADDR_ARPA.labels() + 4) {
            StringBuilder ip = new StringBuilder();
            for (int i = 3; i >= 0; i--) {
                ip.append(name.getLabelString(i)).append(i > 0 ? "." : "");
            }
            return parse(ip.toString());
        }
        if (name.subdomain(IP6_ARPA) && name.labels() == IP6_ARPA.labels() + 32) {
            StringBuilder ip = new StringBuilder();
            for (int i = 31; i >= 0; i--) {
                String nibble = name.getLabelString(i);
                if (nibble.length() != 1 || Character.digit(nibble.charAt(0), 16) < 0) {
                    return Optional.empty();
                }
                ip.append(nibble);
                if (i % 4 == 0 && i > 0) {
                    ip.append(':');
                }
            }
            return parse(ip.toString());
        }
        return Optional.empty();
    }

    static boolean isReverseName(Name name) {
        return name.subdomain(IN_ADDR_ARPA) || name.subdomain(IP6_ARPA);
    }
}
