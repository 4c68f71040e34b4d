package dev.konductor.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The half-open byte range {@code [start, end)} of the keys under a prefix, as etcd compares
 * them: keys are ordered by their UTF-8 bytes, unsigned. Both backends use it so that they agree
 * on key order (Java's {@link String#compareTo} orders UTF-16 units and would disagree above the
 * Basic Multilingual Plane).
 *
 * @param start first key in the range (inclusive)
 * @param end first key after the range (exclusive), or an empty array when the range is
 *     unbounded above (a prefix made only of 0xFF bytes, or the empty prefix)
 */
public record KeyRange(byte[] start, byte[] end) {

    public KeyRange {
        start = start.clone();
        end = end.clone();
    }

    /**
     * The keys starting with {@code prefix}, beginning at {@code startKey} when it is given and
     * falls after the prefix's first key.
     */
    public static KeyRange of(String prefix, String startKey) {
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] start = prefixBytes;
        if (startKey != null) {
            byte[] startBytes = startKey.getBytes(StandardCharsets.UTF_8);
            if (Arrays.compareUnsigned(startBytes, prefixBytes) > 0) {
                start = startBytes;
            }
        }
        return new KeyRange(start, prefixEnd(prefixBytes));
    }

    /** Whether {@code key} falls in this range. */
    public boolean contains(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return Arrays.compareUnsigned(bytes, start) >= 0
                && (end.length == 0 || Arrays.compareUnsigned(bytes, end) < 0);
    }

    /** Whether the range has an upper bound. */
    public boolean bounded() {
        return end.length > 0;
    }

    @Override
    public byte[] start() {
        return start.clone();
    }

    @Override
    public byte[] end() {
        return end.clone();
    }

    /**
     * The smallest byte string greater than every string starting with {@code prefix}: drop
     * trailing 0xFF bytes, then add one to the last byte. Empty when no such string exists.
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return new byte[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange other && Arrays.equals(start, other.start) && Arrays.equals(end, other.end);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(start) + Arrays.hashCode(end);
    }

    @Override
    public String toString() {
        return "KeyRange[" + new String(start, StandardCharsets.UTF_8) + ", "
                + (bounded() ? new String(end, StandardCharsets.UTF_8) : "+inf") + ")";
    }
}
