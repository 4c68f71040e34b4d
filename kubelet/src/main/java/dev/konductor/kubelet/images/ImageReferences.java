package dev.konductor.kubelet.images;

/** Image names as Docker and containerd normalise them: {@code busybox} is {@code docker.io/library/busybox:latest}. */
public final class ImageReferences {

    private ImageReferences() {
    }

    public static String normalize(String reference) {
        String name = reference;
        String suffix = "";
        int at = name.indexOf('@');
        if (at >= 0) {
            suffix = name.substring(at);
            name = name.substring(0, at);
        }
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasHost = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (!hasHost) {
            name = "docker.io/" + (slash < 0 ? "library/" + name : name);
        } else if (first.equals("index.docker.io")) {
            name = "docker.io" + name.substring(first.length());
        }
        int lastSlash = name.lastIndexOf('/');
        if (suffix.isEmpty() && name.indexOf(':', lastSlash) < 0) {
            name = name + ":latest";
        }
        return name + suffix;
    }
}
