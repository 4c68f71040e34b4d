package dev.konductor.kubelet.registry;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry v2 request path, parsed: {@code /v2/}, {@code /v2/NAME/manifests/REF} or
 * {@code /v2/NAME/blobs/DIGEST}, with the registry host from containerd's {@code ns} parameter.
 */
record RegistryPath(Kind kind, String host, String name, String reference) {

    enum Kind { BASE, MANIFEST, BLOB }

    static final String DEFAULT_HOST = "docker.io";

    // Repository names as the distribution spec allows them; no "..", no empty components.
    private static final Pattern ITEM = Pattern.compile(
            "/v2/((?:[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
                    + "/(manifests|blobs)/([A-Za-z0-9_.:+-]{1,128})");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]+)?");

    static Optional<RegistryPath> parse(String rawPath, String rawQuery) {
        String host = namespace(rawQuery);
        if (host == null) {
            return Optional.empty();
        }
        if (rawPath.equals("/v2/") || rawPath.equals("/v2")) {
            return Optional.of(new RegistryPath(Kind.BASE, host, "", ""));
        }
        Matcher m = ITEM.matcher(rawPath);
        if (!m.matches()) {
            return Optional.empty();
        }
        Kind kind = m.group(2).equals("manifests") ? Kind.MANIFEST : Kind.BLOB;
        return Optional.of(new RegistryPath(kind, host, m.group(1), m.group(3)));
    }

    /** The {@code ns} parameter, docker.io without one, null if malformed. */
    private static String namespace(String rawQuery) {
        if (rawQuery == null) {
            return DEFAULT_HOST;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("ns=")) {
                String value = URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8);
                return HOST.matcher(value).matches() ? normalizeHost(value) : null;
            }
        }
        return DEFAULT_HOST;
    }

    private static String normalizeHost(String host) {
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io" -> DEFAULT_HOST;
            default -> host;
        };
    }

    boolean isDigest() {
        return RegistryServer.isDigest(reference);
    }

    /** {@code host/name:tag}, as the image store keys references. */
    String fullReference() {
        String repository = host.equals(DEFAULT_HOST) && !name.contains("/") ? "library/" + name : name;
        return host + "/" + repository + (isDigest() ? "@" : ":") + reference;
    }
}
