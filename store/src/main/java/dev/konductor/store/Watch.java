package dev.konductor.store;

/** A running watch; {@link #close()} stops delivery (idempotent). */
public interface Watch extends AutoCloseable {
    @Override
    void close();
}
