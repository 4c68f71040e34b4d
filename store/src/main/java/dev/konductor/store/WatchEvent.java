package dev.konductor.store;

/**
 * One change seen by a watch. For {@link Type#PUT} {@code kv} is the new value and
 * {@code prevKv} the previous one (null on create). For {@link Type#DELETE} {@code kv} holds the
 * last value with {@code modRevision} set to the deletion's revision, and {@code prevKv} the same
 * value at its previous revision.
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {

    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }

    public boolean isCreate() {
        return type == Type.PUT && prevKv == null;
    }
}
