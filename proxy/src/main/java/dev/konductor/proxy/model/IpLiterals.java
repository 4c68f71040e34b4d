package dev.konductor.proxy.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP literals as the API spells them, parsed without ever asking a resolver. */
public final class IpLiterals {

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private IpLiterals() {
    }

    /** An IPv4 dotted quad or an IPv6 literal; empty for anything else (including null). */
    public static Optional<InetAddress> parse(String literal) {
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
}
