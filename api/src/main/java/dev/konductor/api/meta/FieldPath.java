package dev.konductor.api.meta;

/**
 * The path of a field inside an object, rendered as upstream's {@code field.Path} renders it:
 * {@code spec.containers[0].image}, {@code metadata.labels[app]}. Immutable; every step returns a
 * new path.
 */
public record FieldPath(String path) {

    public static FieldPath of(String first, String... more) {
        FieldPath p = new FieldPath(first);
        for (String name : more) {
            p = p.child(name);
        }
        return p;
    }

    public FieldPath child(String name, String... more) {
        FieldPath p = new FieldPath(path.isEmpty() ? name : path + "." + name);
        for (String next : more) {
            p = p.child(next);
        }
        return p;
    }

    public FieldPath index(int i) {
        return new FieldPath(path + "[" + i + "]");
    }

    /** A map key, as in {@code metadata.labels[app]}. */
    public FieldPath key(String key) {
        return new FieldPath(path + "[" + key + "]");
    }

    @Override
    public String toString() {
        return path;
    }
}
