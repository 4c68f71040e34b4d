package dev.konductor.proxy.ingress;

import static dev.konductor.proxy.ingress.IngressObjects.backend;
import static dev.konductor.proxy.ingress.IngressObjects.endpoint;
import static dev.konductor.proxy.ingress.IngressObjects.path;
import static dev.konductor.proxy.ingress.IngressObjects.rule;
import static dev.konductor.proxy.ingress.IngressObjects.service;
import static dev.konductor.proxy.ingress.IngressObjects.servicePort;
import static dev.konductor.proxy.ingress.IngressObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from an Ingress's spec.tls secret, the certificate chosen by SNI. */
class IngressTlsTest {

    private static final String HOST = "secure.example.test";
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void servesTheSecretsCertificateForItsHostAndForwardsAsHttps() throws Exception {
        KeyStore keys = selfSigned(HOST);
        PrivateKey key = (PrivateKey) keys.getKey("ingress", PASSWORD);
        X509Certificate certificate = (X509Certificate) keys.getCertificate("ingress");
        // the key as PKCS#1 ("BEGIN RSA PRIVATE KEY"), the form older tools write
        String keyPem = pem("RSA PRIVATE KEY", pkcs1(key.getEncoded()));
        String certPem = pem("CERTIFICATE", certificate.getEncoded());

        try (LocalApiServer api = LocalApiServer.start(); TestBackend backendServer = new TestBackend("tls")) {
            KubernetesClient client = api.client();
            IngressSettings settings = IngressSettings.defaults("127.0.0.1")
                    .withListeners(InetAddress.getLoopbackAddress(), 0, 0);
            try (IngressController controller = new IngressController(client, settings)) {
                controller.start();
                client.services().inNamespace("default").resource(service("default", "web",
                        servicePort("http", 80, backendServer.port()))).create();
                client.discovery().v1().endpointSlices().inNamespace("default").resource(slice("default", "web-1", "web",
                        "http", backendServer.port(), List.of(endpoint("127.0.0.1", true)))).create();
                client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
                        .withName("web-tls").endMetadata().withType("kubernetes.io/tls")
                        .addToData("tls.crt", base64(certPem)).addToData("tls.key", base64(keyPem)).build()).create();
                Ingress ingress = IngressObjects.ingress("default", "secure", rule(HOST, path("Prefix", "/",
                        backend("web", 80))));
                ingress.getSpec().setTls(List.of(new io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder()
                        .withHosts(HOST).withSecretName("web-tls").build()));
                client.network().v1().ingresses().inNamespace("default").resource(ingress).create();

                SSLContext trusting = trusting(certificate);
                Await.until(Duration.ofSeconds(20), "HTTPS answers for " + HOST, () -> {
                    try (RawHttp https = new RawHttp(tls(trusting, controller.httpsPort()))) {
                        return https.get(HOST, "/").status() == 200;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                try (RawHttp https = new RawHttp(tls(trusting, controller.httpsPort()))) {
                    RawHttp.Response response = https.get(HOST, "/over-tls");
                    assertThat(response.field("backend")).isEqualTo("tls");
                    assertThat(response.field("x-forwarded-proto")).isEqualTo("https");
                    assertThat(response.field("uri")).isEqualTo("/over-tls");
                }
            }
        }
    }

    @Test
    void pkcs1RsaKeysAreRewrappedAsPkcs8() throws Exception {
        PrivateKey key = (PrivateKey) selfSigned("x.test").getKey("ingress", PASSWORD);
        String converted = TlsCertificates.Pem.toPkcs8(pem("RSA PRIVATE KEY", pkcs1(key.getEncoded())));
        assertThat(converted).startsWith("-----BEGIN PRIVATE KEY-----");
        String body = converted.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        assertThat(Base64.getDecoder().decode(body)).isEqualTo(key.getEncoded());
        String pkcs8 = pem("PRIVATE KEY", key.getEncoded());
        assertThat(TlsCertificates.Pem.toPkcs8(pkcs8)).isSameAs(pkcs8);
    }

    /** A connected TLS socket to the proxy sending {@link #HOST} as SNI and checking the certificate for it. */
    private static Socket tls(SSLContext context, int port) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, HOST, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(HOST)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static SSLContext trusting(Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ingress", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** A self-signed RSA certificate for {@code host}, made with the JDK's keytool. */
    private KeyStore selfSigned(String host) throws Exception {
        Path store = dir.resolve(host + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "ingress", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + host, "-ext", "SAN=dns:" + host, "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, PASSWORD);
        }
        Files.delete(store);
        return keys;
    }

    /** The PKCS#1 key inside a PKCS#8 RSA key: the content of its final OCTET STRING. */
    private static byte[] pkcs1(byte[] pkcs8) {
        int i = 0;
        assertThat(pkcs8[i++]).isEqualTo((byte) 0x30);
        i += lengthBytes(pkcs8[i]);
        i += 3 + 15; // version INTEGER 0, AlgorithmIdentifier
        assertThat(pkcs8[i++]).isEqualTo((byte) 0x04);
        i += lengthBytes(pkcs8[i]);
        return Arrays.copyOfRange(pkcs8, i, pkcs8.length);
    }

    private static int lengthBytes(byte first) {
        return (first & 0x80) == 0 ? 1 : 1 + (first & 0x7f);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
