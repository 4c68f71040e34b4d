package dev.konductor.apiserver.printers;

/**
 * A custom resource's printer column, as a CRD version declares it in
 * {@code additionalPrinterColumns}: {@code type} is one of {@code string}, {@code integer},
 * {@code number}, {@code boolean}, {@code date}; {@code jsonPath} is evaluated against each object.
 */
public record ColumnSpec(String name, String type, String format, String description, int priority,
                         String jsonPath) {

    public ColumnSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("printer column name must not be empty");
        }
        if (jsonPath == null || jsonPath.isEmpty()) {
            throw new IllegalArgumentException("printer column " + name + " must have a jsonPath");
        }
        format = format == null ? "" : format;
        description = description == null ? "" : description;
    }

    /** The column a CRD gets when it declares none: the object's age. */
    public static ColumnSpec age() {
        return new ColumnSpec("Age", "date", "", "Time since the object was created.", 0, ".metadata.creationTimestamp");
    }
}
