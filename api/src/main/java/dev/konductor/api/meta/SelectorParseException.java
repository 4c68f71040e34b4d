package dev.konductor.api.meta;

/**
 * A label or field selector that cannot be parsed. The message is upstream's, so the API server
 * can send it back unchanged in a 400 BadRequest.
 */
public final class SelectorParseException extends RuntimeException {

    public SelectorParseException(String message) {
        super(message, null, false, false);
    }
}
