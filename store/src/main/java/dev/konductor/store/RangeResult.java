package dev.konductor.store;

import java.util.List;

/**
 * A page of a range read. {@code revision} is the revision the page was read at (pass it back,
 * with the key after the last one, to read the next page consistently); {@code more} says whether
 * keys remain after this page.
 */
public record RangeResult(List<KeyValue> kvs, boolean more, long revision) {
}
