package dev.konductor.store;

/** A read asked for a revision the store has not reached yet. */
public class FutureRevisionException extends StorageException {
    public FutureRevisionException(long requested, long current) {
        super("required revision " + requested + " is a future revision (current revision " + current + ")");
    }
}
