package dev.konductor.store;

/** The outcome of a compare-and-swap write: expected outcomes are values, not exceptions. */
public sealed interface WriteResult {

    /** The write happened; {@code kv} is the key as written (or, for a delete, as it was deleted). */
    record Written(KeyValue kv) implements WriteResult {
    }

    /** The precondition failed; {@code current} is the key's current value, or null if absent. */
    record Conflict(KeyValue current) implements WriteResult {
    }
}
