package dev.konductor.api.resource;

/** A kind in one API version; {@code group} is "" for the core group. */
public record GroupVersionKind(String group, String version, String kind) {

    /** {@code v1} for the core group, {@code apps/v1} otherwise: the {@code apiVersion} field. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public static GroupVersionKind of(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? new GroupVersionKind("", apiVersion, kind)
                : new GroupVersionKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    }

    @Override
    public String toString() {
        return apiVersion() + ", Kind=" + kind;
    }
}
