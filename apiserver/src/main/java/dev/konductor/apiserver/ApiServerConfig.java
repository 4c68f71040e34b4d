package dev.konductor.apiserver;

import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.nodejoin.NodeCredentialIssuer;
import dev.konductor.store.Store;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the API server needs from the process that runs it.
 *
 * @param store             the store; the API server is its only user
 * @param bindAddress       address to listen on (all addresses when null)
 * @param port              HTTPS port; 0 picks a free one
 * @param tls               serving certificate and client CA
 * @param tokens            bearer token to the user it authenticates (the join token's
 *                          {@code system:bootstrap:<id>} in {@code system:bootstrappers}); may be empty
 * @param serviceCidr       ClusterIP range, e.g. {@code 10.96.0.0/12}
 * @param nodePortRange     NodePort range, e.g. {@code 30000-32767}
 * @param advertiseAddress  the address published in the {@code kubernetes} Service's endpoints
 * @param serviceAccountKey signs and verifies service account tokens (upstream's
 *                          {@code --service-account-signing-key-file}); null makes a key that lives
 *                          as long as this server, for tests and tools embedding one
 * @param nodeCredentials   issues joining nodes their client certificates; null where nodes
 *                          cannot join with a token (tests, tools)
 */
public record ApiServerConfig(Store store, InetAddress bindAddress, int port, TlsMaterial tls,
                              Map<String, UserInfo> tokens, String serviceCidr, String nodePortRange,
                              String advertiseAddress, SigningKey serviceAccountKey,
                              NodeCredentialIssuer nodeCredentials, Duration eventTtl) {

    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
    public static final String DEFAULT_NODE_PORT_RANGE = "30000-32767";
    /** How long an event lives after its last write: upstream's {@code --event-ttl} default. */
    public static final Duration DEFAULT_EVENT_TTL = Duration.ofHours(1);

    public ApiServerConfig {
        eventTtl = eventTtl == null ? DEFAULT_EVENT_TTL : eventTtl;
    }

    /** Keeping events for upstream's default hour. */
    public ApiServerConfig(Store store, InetAddress bindAddress, int port, TlsMaterial tls, Map<String, UserInfo> tokens,
                           String serviceCidr, String nodePortRange, String advertiseAddress,
                           SigningKey serviceAccountKey, NodeCredentialIssuer nodeCredentials) {
        this(store, bindAddress, port, tls, tokens, serviceCidr, nodePortRange, advertiseAddress, serviceAccountKey,
                nodeCredentials, null);
    }

    /** Issuing no node certificates. */
    public ApiServerConfig(Store store, InetAddress bindAddress, int port, TlsMaterial tls, Map<String, UserInfo> tokens,
                           String serviceCidr, String nodePortRange, String advertiseAddress,
                           SigningKey serviceAccountKey) {
        this(store, bindAddress, port, tls, tokens, serviceCidr, nodePortRange, advertiseAddress, serviceAccountKey,
                null, null);
    }

    /** Without a service account key of its own (see {@link #serviceAccountKey}), issuing no node certificates. */
    public ApiServerConfig(Store store, InetAddress bindAddress, int port, TlsMaterial tls, Map<String, UserInfo> tokens,
                           String serviceCidr, String nodePortRange, String advertiseAddress) {
        this(store, bindAddress, port, tls, tokens, serviceCidr, nodePortRange, advertiseAddress, null, null, null);
    }
}
