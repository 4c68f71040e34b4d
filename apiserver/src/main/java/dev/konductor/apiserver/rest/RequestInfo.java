package dev.konductor.apiserver.rest;

/**
 * What a resource URL addresses, as upstream's RequestInfo:
 * {@code /apis/apps/v1/namespaces/default/deployments/web/scale} → group apps, version v1,
 * namespace default, resource deployments, name web, subresource scale.
 */
public record RequestInfo(String group, String version, String namespace, String resource, String name,
                          String subresource) {

    /**
     * A path's segments, the slashes at either end ignored ({@code /api/v1/} → api, v1). Every
     * request's path goes through here twice, so no regular expression is compiled for it.
     */
    static String[] segments(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end).split("/");
    }

    /** Parses a path under /api or /apis, or returns null if it names no resource. */
    public static RequestInfo parse(String path) {
        String[] parts = segments(path);
        int i;
        String group;
        String version;
        if (parts.length >= 3 && parts[0].equals("api")) {
            group = "";
            version = parts[1];
            i = 2;
        } else if (parts.length >= 4 && parts[0].equals("apis")) {
            group = parts[1];
            version = parts[2];
            i = 3;
        } else {
            return null;
        }
        int rest = parts.length - i;
        String namespace = null;
        if (parts[i].equals("namespaces") && rest >= 3 && !isNamespaceSubresource(parts, i)) {
            namespace = parts[i + 1];
            i += 2;
            rest -= 2;
        }
        String resource = parts[i];
        String name = rest >= 2 ? parts[i + 1] : null;
        String subresource = rest >= 3 ? parts[i + 2] : null;
        if (rest > 3) {
            // proxy paths carry more segments; keep them in the subresource
            subresource = String.join("/", java.util.Arrays.copyOfRange(parts, i + 2, parts.length));
        }
        return new RequestInfo(group, version, namespace, resource, name, subresource);
    }

    /** {@code /api/v1/namespaces/x/status} and {@code /finalize} address the namespace itself. */
    private static boolean isNamespaceSubresource(String[] parts, int i) {
        return parts.length - i == 3 && (parts[i + 2].equals("status") || parts[i + 2].equals("finalize"));
    }
}
