package dev.konductor.server.control;

import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * fabric8's Vert.x HTTP client with its TLS done by BoringSSL (netty-tcnative) instead of the
 * JDK. Registered as a {@code HttpClient.Factory} service with a higher priority than fabric8's
 * own, so every Kubernetes client of a Konductor process uses it, including the ones components
 * build for themselves.
 *
 * <p>Why: a server's components hold a connection per watch (WebSocket over HTTP/1.1), so a
 * start makes some 150 TLS handshakes with client certificates. With the JDK's TLS each costs
 * milliseconds of pure-Java elliptic-curve arithmetic, interpreted at first, then compiled by
 * C2: JFR put the in-process clients' handshakes at over a third of a start's CPU, and the
 * compilation of that crypto code at more than a second of JIT time. The same key and trust
 * managers as fabric8's are used (certificates are still checked by the JDK's PKIX validator);
 * only the handshake and the record layer move to native code. Where netty-tcnative cannot load
 * (another platform), fabric8's JDK TLS is kept.
 *
 * <p>Every client it builds shares one Vert.x instance ({@link SharedVertx}): fabric8's own
 * factory starts a Vert.x, with its event loops and its blocked-thread checker, for each client,
 * and a server's components each have a client.
 */
public final class NativeTlsHttpClientFactory extends VertxHttpClientFactory {

    @Override
    public int priority() {
        return 10; // fabric8's own factories use 0 and below
    }

    @Override
    public VertxHttpClientBuilder<VertxHttpClientFactory> newBuilder() {
        return new VertxHttpClientBuilder<>(this, SharedVertx.INSTANCE) {
            @Override
            public VertxHttpClientBuilder<VertxHttpClientFactory> sslContext(KeyManager[] keyManagers,
                                                                            TrustManager[] trustManagers) {
                if (!OpenSsl.isAvailable()) {
                    return super.sslContext(keyManagers, trustManagers);
                }
                // what fabric8's own sslContext(...) records, without building the JDK context it would replace
                this.keyManagers = keyManagers;
                this.trustManagers = trustManagers;
                this.sslContext = nativeContext(keyManagers, trustManagers);
                return this;
            }
        };
    }

    /**
     * A {@link SSLContext} whose engines are netty-tcnative's: Vert.x wraps the context given to
     * it in Netty's {@code JdkSslContext}, and Netty's {@code SslHandler} drives a tcnative engine
     * natively whatever context made it.
     */
    static SSLContext nativeContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL);
        first(keyManagers, X509KeyManager.class).ifPresent(builder::keyManager);
        first(trustManagers, X509TrustManager.class).ifPresent(builder::trustManager);
        try {
            return new NettySslContext(builder.build());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a native TLS context: " + e.getMessage(), e);
        }
    }

    private static <T> Optional<T> first(Object[] managers, Class<T> type) {
        List<Object> all = managers == null ? List.of() : Arrays.asList(managers);
        return all.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    private static final class NettySslContext extends SSLContext {
        private static final Provider PROVIDER = new Provider("konductor-netty-tcnative", "1",
                "netty-tcnative engines behind an SSLContext") {
        };

        NettySslContext(SslContext netty) {
            super(new Spi(netty), PROVIDER, "TLS");
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SslContext netty;

        Spi(SslContext netty) {
            this.netty = netty;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
            // built complete
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return netty.newEngine(ByteBufAllocator.DEFAULT);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return netty.newEngine(ByteBufAllocator.DEFAULT, host, port);
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return netty.sessionContext();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return null;
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new UnsupportedOperationException("engines only");
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("engines only");
        }
    }

    /**
     * The process's Vert.x for its Kubernetes clients, made as fabric8 makes its own (the JDK's
     * name resolution instead of Vert.x's DNS client, no file caching or class-path resolving,
     * daemon threads), created on first use and never closed: a client closed leaves it running.
     */
    private static final class SharedVertx {

        static final Vertx INSTANCE = create();

        private static Vertx create() {
            String dnsResolver = System.getProperty("vertx.disableDnsResolver");
            System.setProperty("vertx.disableDnsResolver", "true");
            try {
                return Vertx.vertx(new VertxOptions()
                        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                                .setClassPathResolvingEnabled(false))
                        .setUseDaemonThread(true));
            } finally {
                if (dnsResolver == null) {
                    System.clearProperty("vertx.disableDnsResolver");
                } else {
                    System.setProperty("vertx.disableDnsResolver", dnsResolver);
                }
            }
        }
    }
}
