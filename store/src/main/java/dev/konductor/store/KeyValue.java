package dev.konductor.store;

/**
 * One key at one revision. {@code createRevision} is the revision that created the key (it
 * changes if the key is deleted and created again); {@code modRevision} the revision of the last
 * write to it.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {
}
