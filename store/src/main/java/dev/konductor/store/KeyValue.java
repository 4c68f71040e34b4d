package dev.konductor.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One key at one revision. {@code createRevision} is the revision that created the key (it
 * changes if the key is deleted and created again); {@code modRevision} the revision of the last
 * write to it.
 *
 * <p>Equality compares the value's bytes, not the array's identity, so that two reads of the
 * same key at the same revision are equal.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {

    /** The value decoded as UTF-8, for logs and tests. */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue other
                && key.equals(other.key)
                && Arrays.equals(value, other.value)
                && createRevision == other.createRevision
                && modRevision == other.modRevision;
    }

    @Override
    public int hashCode() {
        return ((key.hashCode() * 31 + Arrays.hashCode(value)) * 31 + Long.hashCode(createRevision)) * 31
                + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        int length = value == null ? 0 : value.length;
        return "KeyValue[key=" + key + ", createRevision=" + createRevision + ", modRevision=" + modRevision
                + ", value=" + length + " bytes]";
    }
}
