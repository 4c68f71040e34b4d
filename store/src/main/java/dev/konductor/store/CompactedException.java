package dev.konductor.store;

/** A read or watch asked for a revision older than the compacted one (HTTP 410 Gone upstream). */
public class CompactedException extends StorageException {
    private final long compactedRevision;

    public CompactedException(long requested, long compactedRevision) {
        super("required revision " + requested + " has been compacted (compacted revision " + compactedRevision + ")");
        this.compactedRevision = compactedRevision;
    }

    public long compactedRevision() {
        return compactedRevision;
    }
}
