package dev.konductor.apiserver.printers;

import dev.konductor.api.status.StatusException;

/**
 * What each Table row carries in {@code object}: the {@code includeObject} query parameter.
 * kubectl needs at least the metadata (the NAMESPACE column of {@code -A}, {@code -L} label
 * columns) and asks for the whole object for {@code --sort-by}.
 */
public enum IncludeObject {
    /** {@code object} is null. */
    NONE,
    /** {@code object} is a {@code PartialObjectMetadata}: the default. */
    METADATA,
    /** {@code object} is the full object. */
    OBJECT;

    /** Parses the query parameter; absent means {@link #METADATA}, as upstream. */
    public static IncludeObject parse(String value) {
        if (value == null || value.isEmpty()) {
            return METADATA;
        }
        return switch (value) {
            case "None" -> NONE;
            case "Metadata" -> METADATA;
            case "Object" -> OBJECT;
            default -> throw StatusException.badRequest("includeObject must be one of None, Metadata, Object: " + value);
        };
    }
}
