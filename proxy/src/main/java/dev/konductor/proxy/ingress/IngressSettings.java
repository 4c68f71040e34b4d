package dev.konductor.proxy.ingress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * How the built-in ingress controller runs.
 *
 * @param bindAddress     where the proxy listens (all addresses by default)
 * @param httpPort        the HTTP port: 80 when running as root, else 8080; 0 picks a free one
 * @param httpsPort       the HTTPS port (443 as root, else 8443), serving the certificates of
 *                        the Ingresses' {@code spec.tls} secrets by SNI; -1 disables HTTPS
 * @param statusAddress   the node's address, written to {@code status.loadBalancer.ingress} of
 *                        the Ingresses served (an IP as {@code ip}, otherwise as {@code hostname})
 * @param className       the IngressClass created if absent and marked default ({@code konductor})
 * @param controllerName  the {@code spec.controller} of the classes served ({@code konductor.dev/ingress})
 * @param ioThreads       event-loop threads for client and backend connections alike
 * @param connectTimeout  how long to wait for a backend connection (then 502)
 * @param responseTimeout how long a backend may stay silent once the request is sent (then 504)
 * @param idleTimeout     how long an idle client keep-alive connection is kept
 */
public record IngressSettings(InetAddress bindAddress, int httpPort, int httpsPort, String statusAddress,
                              String className, String controllerName, int ioThreads, Duration connectTimeout,
                              Duration responseTimeout, Duration idleTimeout) {

    public static final String DEFAULT_CLASS = "konductor";
    public static final String CONTROLLER_NAME = "konductor.dev/ingress";

    public IngressSettings {
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort out of range: " + httpPort);
        }
        if (httpsPort < -1 || httpsPort > 65535) {
            throw new IllegalArgumentException("httpsPort out of range (-1 disables HTTPS): " + httpsPort);
        }
        if (statusAddress == null || statusAddress.isBlank()) {
            throw new IllegalArgumentException("statusAddress must be the node's address");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
        }
    }

    /** Listening on all addresses, ports 80/443 as root and 8080/8443 otherwise. */
    public static IngressSettings defaults(String statusAddress) {
        boolean root = runningAsRoot();
        InetAddress any;
        try {
            any = InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return new IngressSettings(any, root ? 80 : 8080, root ? 443 : 8443, statusAddress, DEFAULT_CLASS,
                CONTROLLER_NAME, Math.max(1, Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(5),
                Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    public IngressSettings withListeners(InetAddress address, int http, int https) {
        return new IngressSettings(address, http, https, statusAddress, className, controllerName, ioThreads,
                connectTimeout, responseTimeout, idleTimeout);
    }

    public IngressSettings withTimeouts(Duration connect, Duration response, Duration idle) {
        return new IngressSettings(bindAddress, httpPort, httpsPort, statusAddress, className, controllerName,
                ioThreads, connect, response, idle);
    }

    static boolean runningAsRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError notUnix) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
