package dev.konductor.store;

/** The store failed unexpectedly (I/O, a broken connection). */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
