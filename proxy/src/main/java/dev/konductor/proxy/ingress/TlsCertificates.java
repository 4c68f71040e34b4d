package dev.konductor.proxy.ingress;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS certificates of the Ingresses served, from their {@code spec.tls} secrets
 * ({@code tls.crt} and {@code tls.key}, PEM), chosen per connection by SNI: the exact host, then
 * a wildcard host, then the certificate of the oldest TLS entry as the default (also for
 * clients that send no server name). Keys in PKCS#8 or PKCS#1 RSA form are accepted.
 */
final class TlsCertificates implements AsyncMapping<String, SslContext>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TlsCertificates.class);
    static final String CERT_KEY = "tls.crt";
    static final String PRIVATE_KEY = "tls.key";
    static final String TLS_TYPE = "kubernetes.io/tls";

    private record Table(Map<String, SslContext> exact, Map<String, SslContext> wildcard, SslContext fallback) {
    }

    private final SharedIndexInformer<Secret> secrets;
    /** Parsed contexts by secret uid and resourceVersion, so unchanged secrets are not parsed again. */
    private final Map<String, SslContext> parsed = new ConcurrentHashMap<>();
    private volatile Table table = new Table(Map.of(), Map.of(), null);

    /**
     * Watches only secrets of type {@code kubernetes.io/tls}, which is also all a node's identity
     * may list (Konductor's Node authorizer grants that for the ingress controller on every node).
     */
    TlsCertificates(KubernetesClient client) {
        this.secrets = client.secrets().inAnyNamespace().withField("type", TLS_TYPE).runnableInformer(0);
    }

    CompletableFuture<Void> start(Runnable onChange) {
        secrets.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                onChange.run();
            }

            @Override
            public void onUpdate(Secret oldSecret, Secret newSecret) {
                onChange.run();
            }

            @Override
            public void onDelete(Secret secret, boolean deletedFinalStateUnknown) {
                onChange.run();
            }
        });
        return secrets.start().toCompletableFuture();
    }

    boolean synced() {
        return secrets.hasSynced();
    }

    /** Rebuilds the host table from the TLS entries of {@code ingresses}, oldest Ingress first. */
    void rebuild(List<Ingress> ingresses) {
        Map<String, SslContext> exact = new HashMap<>();
        Map<String, SslContext> wildcard = new HashMap<>();
        SslContext fallback = null;
        List<Ingress> oldestFirst = ingresses.stream()
                .sorted(Comparator.comparing((Ingress i) -> String.valueOf(i.getMetadata().getCreationTimestamp()))
                        .thenComparing(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName()))
                .toList();
        java.util.Set<String> live = new java.util.HashSet<>();
        for (Ingress ingress : oldestFirst) {
            if (ingress.getSpec() == null || ingress.getSpec().getTls() == null) {
                continue;
            }
            for (IngressTLS tls : ingress.getSpec().getTls()) {
                if (tls.getSecretName() == null || tls.getSecretName().isEmpty()) {
                    continue;
                }
                Secret secret = secrets.getStore().getByKey(ingress.getMetadata().getNamespace() + "/"
                        + tls.getSecretName());
                SslContext context = secret == null ? null : context(secret);
                if (context == null) {
                    continue;
                }
                live.add(version(secret));
                if (fallback == null) {
                    fallback = context;
                }
                for (String host : tls.getHosts() == null ? List.<String>of() : tls.getHosts()) {
                    String name = host.toLowerCase(Locale.ROOT);
                    if (name.startsWith("*.")) {
                        wildcard.putIfAbsent(name.substring(2), context);
                    } else {
                        exact.putIfAbsent(name, context);
                    }
                }
            }
        }
        parsed.keySet().retainAll(live);
        table = new Table(Map.copyOf(exact), Map.copyOf(wildcard), fallback);
    }

    @Override
    public Future<SslContext> map(String hostname, Promise<SslContext> promise) {
        SslContext context = select(hostname);
        return context == null ? promise.setFailure(new IllegalStateException("no certificate for " + hostname))
                : promise.setSuccess(context);
    }

    SslContext select(String hostname) {
        Table current = table;
        if (hostname != null) {
            String host = RouteTable.hostName(hostname);
            SslContext exact = current.exact().get(host);
            if (exact != null) {
                return exact;
            }
            int dot = host.indexOf('.');
            SslContext wildcard = dot > 0 ? current.wildcard().get(host.substring(dot + 1)) : null;
            if (wildcard != null) {
                return wildcard;
            }
        }
        return current.fallback();
    }

    private SslContext context(Secret secret) {
        String version = version(secret);
        SslContext known = parsed.get(version);
        if (known != null) {
            return known;
        }
        Map<String, String> data = secret.getData();
        String certificate = data == null ? null : data.get(CERT_KEY);
        String key = data == null ? null : data.get(PRIVATE_KEY);
        String name = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        if (certificate == null || key == null) {
            log.warn("ingress: TLS secret lacks {} or {} secret={}", CERT_KEY, PRIVATE_KEY, name);
            return null;
        }
        try {
            byte[] chain = Base64.getDecoder().decode(certificate);
            byte[] pkcs8 = Pem.toPkcs8(new String(Base64.getDecoder().decode(key), StandardCharsets.US_ASCII))
                    .getBytes(StandardCharsets.US_ASCII);
            SslContext context = SslContextBuilder.forServer(new ByteArrayInputStream(chain),
                    new ByteArrayInputStream(pkcs8)).build();
            parsed.put(version, context);
            return context;
        } catch (Exception e) {
            log.warn("ingress: cannot use TLS secret secret={}: {}", name, e.toString());
            return null;
        }
    }

    private static String version(Secret secret) {
        return secret.getMetadata().getUid() + "@" + secret.getMetadata().getResourceVersion();
    }

    @Override
    public void close() {
        secrets.close();
    }

    /** PEM private keys in the form Netty reads without BouncyCastle. */
    static final class Pem {

        private static final String RSA_BEGIN = "-----BEGIN RSA PRIVATE KEY-----";
        private static final String RSA_END = "-----END RSA PRIVATE KEY-----";
        /** AlgorithmIdentifier { rsaEncryption, NULL } */
        private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
                (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

        private Pem() {
        }

        /** A PKCS#1 RSA key wrapped as PKCS#8 ({@code BEGIN PRIVATE KEY}); other keys as they are. */
        static String toPkcs8(String pem) {
            int begin = pem.indexOf(RSA_BEGIN);
            int end = pem.indexOf(RSA_END);
            if (begin < 0 || end < 0) {
                return pem;
            }
            byte[] pkcs1 = Base64.getMimeDecoder().decode(pem.substring(begin + RSA_BEGIN.length(), end));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
            body.writeBytes(RSA_ALGORITHM);
            body.writeBytes(tagged(0x04, pkcs1));
            byte[] der = tagged(0x30, body.toByteArray());
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n";
        }

        private static byte[] tagged(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            int length = content.length;
            if (length < 0x80) {
                out.write(length);
            } else {
                int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(length >>> (8 * i));
                }
            }
            out.writeBytes(content);
            return out.toByteArray();
        }
    }
}
