package dev.konductor.server.kubeconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.konductor.server.datadir.AtomicFiles;
import dev.konductor.server.pki.ClientIdentity;
import dev.konductor.server.pki.ClusterCredentials;
import dev.konductor.server.pki.KeyAndCertificate;
import dev.konductor.server.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A kubeconfig with one cluster, one user and one context, with the certificates embedded
 * ({@code *-data}) so the file works when copied elsewhere: the admin's, and those of the
 * server's own components, each with its client certificate.
 *
 * @param server               the API server URL, e.g. {@code https://127.0.0.1:6443}
 * @param certificateAuthority PEM of the cluster CA
 * @param clientCertificate    PEM of the client certificate
 * @param clientKey            PEM of the client key
 * @param user                 the name of the user entry ({@value #USER} for the admin)
 */
public record Kubeconfig(URI server, String certificateAuthority, String clientCertificate, String clientKey,
                         String user) {

    public static final String CLUSTER = "konductor";
    public static final String USER = "admin";
    public static final String CONTEXT = "konductor";

    public static Kubeconfig forAdmin(URI server, ClusterCredentials credentials) {
        return new Kubeconfig(server,
                Pem.encodeCertificate(credentials.ca().certificate()),
                Pem.encodeCertificate(credentials.admin().certificate()),
                Pem.encodeForKubeconfig(credentials.admin().key()), USER);
    }

    /** A kubeconfig for one of the server's components, with its own client certificate. */
    public static Kubeconfig forComponent(URI server, ClusterCredentials credentials, ClientIdentity component) {
        KeyAndCertificate pair = credentials.component(component.file());
        return new Kubeconfig(server, Pem.encodeCertificate(credentials.ca().certificate()),
                Pem.encodeCertificate(pair.certificate()), Pem.encodeForKubeconfig(pair.key()), component.file());
    }

    /** Writes the file with mode 0600: it holds the admin's private key. */
    public void write(Path file) {
        AtomicFiles.write(file, render(), AtomicFiles.Mode.PRIVATE);
    }

    /**
     * The YAML text. Written from a template rather than through a YAML library: every value is
     * base64 or a URL, so there is nothing to escape, and starting the server does not pay for
     * loading a serializer.
     */
    public String render() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %4$s
                    certificate-authority-data: %5$s
                users:
                - name: %2$s
                  user:
                    client-certificate-data: %6$s
                    client-key-data: %7$s
                contexts:
                - name: %3$s
                  context:
                    cluster: %1$s
                    user: %2$s
                current-context: %3$s
                preferences: {}
                """.formatted(CLUSTER, user, CONTEXT, server, base64(certificateAuthority),
                base64(clientCertificate), base64(clientKey));
    }

    /** Reads the current context's cluster and user from a kubeconfig with embedded certificates. */
    public static Kubeconfig read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
        }
        String contextName = root.path("current-context").asText();
        JsonNode context = named(root, "contexts", contextName, file).path("context");
        JsonNode cluster = named(root, "clusters", context.path("cluster").asText(), file).path("cluster");
        String userName = context.path("user").asText();
        JsonNode user = named(root, "users", userName, file).path("user");
        return new Kubeconfig(URI.create(required(cluster, "server", file)),
                unbase64(required(cluster, "certificate-authority-data", file)),
                unbase64(required(user, "client-certificate-data", file)),
                unbase64(required(user, "client-key-data", file)), userName);
    }

    private static JsonNode named(JsonNode root, String list, String name, Path file) {
        for (JsonNode entry : root.path(list)) {
            if (entry.path("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new IllegalArgumentException("kubeconfig " + file + " has no entry '" + name + "' in " + list);
    }

    private static String required(JsonNode node, String field, Path file) {
        String value = node.path(field).asText("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("kubeconfig " + file + " lacks " + field);
        }
        return value;
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static String unbase64(String data) {
        return new String(Base64.getDecoder().decode(data.strip()), StandardCharsets.US_ASCII);
    }
}
