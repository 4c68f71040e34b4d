package dev.konductor.apiserver;

import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.store.Store;
import java.net.InetAddress;
import java.util.Map;

/**
 * Everything the API server needs from the process that runs it.
 *
 * @param store             the store; the API server is its only user
 * @param bindAddress       address to listen on (all addresses when null)
 * @param port              HTTPS port; 0 picks a free one
 * @param tls               serving certificate and client CA
 * @param tokens            bearer token to user name ({@code system:node:n1}, {@code admin}); may be empty
 * @param serviceCidr       ClusterIP range, e.g. {@code 10.96.0.0/12}
 * @param nodePortRange     NodePort range, e.g. {@code 30000-32767}
 * @param advertiseAddress  the address published in the {@code kubernetes} Service's endpoints
 * @param serviceAccountKey signs and verifies service account tokens (upstream's
 *                          {@code --service-account-signing-key-file}); null makes a key that lives
 *                          as long as this server, for tests and tools embedding one
 */
public record ApiServerConfig(Store store, InetAddress bindAddress, int port, TlsMaterial tls,
                              Map<String, String> tokens, String serviceCidr, String nodePortRange,
                              String advertiseAddress, SigningKey serviceAccountKey) {

    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
    public static final String DEFAULT_NODE_PORT_RANGE = "30000-32767";

    /** Without a service account key of its own (see {@link #serviceAccountKey}). */
    public ApiServerConfig(Store store, InetAddress bindAddress, int port, TlsMaterial tls, Map<String, String> tokens,
                           String serviceCidr, String nodePortRange, String advertiseAddress) {
        this(store, bindAddress, port, tls, tokens, serviceCidr, nodePortRange, advertiseAddress, null);
    }
}
