package dev.konductor.kubelet.sim;

/** Dotted-quad IPv4 addresses as ints, and CIDRs of them. */
final class Ipv4 {

    private Ipv4() {
    }

    static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** The address, or empty if {@code text} is not a dotted-quad IPv4 address. */
    static java.util.OptionalInt parse(String text) {
        if (text == null) {
            return java.util.OptionalInt.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return java.util.OptionalInt.empty();
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return java.util.OptionalInt.empty();
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return java.util.OptionalInt.empty();
            }
            address = (address << 8) | octet;
        }
        return java.util.OptionalInt.of(address);
    }

    /** An IPv4 CIDR: its first address and prefix length. */
    record Cidr(int base, int prefix) {

        /** The CIDR, or null if {@code text} is not an IPv4 CIDR. */
        static Cidr parseOrNull(String text) {
            if (text == null) {
                return null;
            }
            int slash = text.indexOf('/');
            if (slash < 0) {
                return null;
            }
            java.util.OptionalInt address = parse(text.substring(0, slash));
            int prefix;
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (address.isEmpty() || prefix < 0 || prefix > 32) {
                return null;
            }
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return new Cidr(address.getAsInt() & mask, prefix);
        }

        long size() {
            return 1L << (32 - prefix);
        }

        boolean contains(int address) {
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return (address & mask) == base;
        }
    }
}
