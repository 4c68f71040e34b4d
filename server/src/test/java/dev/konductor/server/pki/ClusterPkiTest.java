package dev.konductor.server.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.api.serviceaccount.JsonWebSignature;
import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {

    private static final HostAddresses HOST = new HostAddresses("node-1",
            Set.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("192.168.5.20"),
                    InetAddress.ofLiteral("fd00::20")));
    private static final ServingNames NAMES = ServingNames.forApiServer(HOST, Cidr.parse("10.96.0.0/12"), List.of());

    @TempDir
    Path tls;

    private final Clock clock = Clock.systemUTC();

    @Test
    void servingCertificateIsSignedByTheCaAndNamesEveryWayToReachTheServer() throws Exception {
        ClusterCredentials credentials = new ClusterPki(tls, clock).ensure(NAMES);
        X509Certificate serving = credentials.apiServer().certificate();

        serving.verify(credentials.ca().certificate().getPublicKey());
        assertThat(serving.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
        ServingNames names = ServingNames.of(serving);
        assertThat(names.dnsNames()).containsExactlyInAnyOrder("localhost", "node-1", "kubernetes",
                "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");
        assertThat(names.ipAddresses()).containsExactlyInAnyOrder(
                InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"), InetAddress.ofLiteral("10.96.0.1"),
                InetAddress.ofLiteral("192.168.5.20"), InetAddress.ofLiteral("fd00::20"));
    }

    @Test
    void componentsGetClientCertificatesNamingTheirUpstreamUsersAndANodeRenamedGetsANewOne() throws Exception {
        ClusterCredentials first = new ClusterPki(tls, clock).ensure(NAMES,
                List.of(ClientIdentity.scheduler(), ClientIdentity.node("node-1")));
        X509Certificate node = first.component("node").certificate();
        node.verify(first.ca().certificate().getPublicKey());
        assertThat(node.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=system:node:node-1, O=system:nodes"));
        assertThat(first.component("scheduler").certificate().getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=system:kube-scheduler"));

        ClusterCredentials same = new ClusterPki(tls, clock).ensure(NAMES, List.of(ClientIdentity.node("node-1")));
        ClusterCredentials renamed = new ClusterPki(tls, clock).ensure(NAMES, List.of(ClientIdentity.node("node-2")));

        assertThat(same.component("node").certificate()).isEqualTo(node);
        assertThat(renamed.component("node").certificate().getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=system:node:node-2, O=system:nodes"));
    }

    @Test
    void caIsAnEcdsaCaValidForTenYears() {
        X509Certificate ca = new ClusterPki(tls, clock).ensure(NAMES).ca().certificate();

        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant())).isGreaterThan(Duration.ofDays(3640));
    }

    @Test
    void adminClientCertificateChainVerifiesToTheCaAndCarriesUserAndGroup() throws Exception {
        ClusterCredentials credentials = new ClusterPki(tls, clock).ensure(NAMES);
        X509Certificate admin = credentials.admin().certificate();

        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(credentials.ca().certificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(admin)), parameters);

        assertThat(admin.getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=kubernetes-admin, O=system:masters"));
        assertThat(admin.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth
    }

    @Test
    void writesKeysReadableByTheOwnerOnly() throws Exception {
        new ClusterPki(tls, clock).ensure(NAMES);

        for (String key : List.of("ca.key", "apiserver.key", "admin.key", "sa.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve(key))))
                    .as(key).isEqualTo("rw-------");
            assertThat(Files.readString(tls.resolve(key))).startsWith("-----BEGIN PRIVATE KEY-----");
        }
        assertThat(Files.readString(tls.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void secondStartReusesEveryFile() throws Exception {
        new ClusterPki(tls, clock).ensure(NAMES);
        byte[] ca = Files.readAllBytes(tls.resolve("ca.crt"));
        byte[] serving = Files.readAllBytes(tls.resolve("apiserver.crt"));
        byte[] admin = Files.readAllBytes(tls.resolve("admin.key"));

        ClusterCredentials again = new ClusterPki(tls, clock).ensure(NAMES);

        assertThat(Files.readAllBytes(tls.resolve("ca.crt"))).isEqualTo(ca);
        assertThat(Files.readAllBytes(tls.resolve("apiserver.crt"))).isEqualTo(serving);
        assertThat(Files.readAllBytes(tls.resolve("admin.key"))).isEqualTo(admin);
        assertThat(again.apiServer().certificate().getEncoded())
                .isEqualTo(Pem.decodeCertificates(new String(serving)).getFirst().getEncoded());
    }

    @Test
    void serviceAccountKeyIsAP256KeyThatSurvivesRestarts() throws Exception {
        SigningKey first = new ClusterPki(tls, clock).ensure(NAMES).serviceAccountKey();

        SigningKey again = new ClusterPki(tls, clock).ensure(NAMES).serviceAccountKey();

        assertThat(first.algorithm()).isEqualTo("ES256");
        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(again.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
        assertThat(Files.readString(tls.resolve("sa.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
        String token = JsonWebSignature.sign(new ObjectMapper().createObjectNode().put("sub", "x"), first);
        assertThat(JsonWebSignature.verify(JsonWebSignature.parse(token).orElseThrow(), again.publicOnly())).isTrue();
    }

    @Test
    void missingServiceAccountPublicKeyIsRewrittenFromThePrivateKey() throws Exception {
        SigningKey first = new ClusterPki(tls, clock).ensure(NAMES).serviceAccountKey();
        Files.delete(tls.resolve("sa.pub"));

        SigningKey again = new ClusterPki(tls, clock).ensure(NAMES).serviceAccountKey();

        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(Pem.decodePublicKey(Files.readString(tls.resolve("sa.pub")))).isEqualTo(first.publicKey());
    }

    @Test
    void staleServiceAccountPublicKeyIsRewrittenFromThePrivateKey() throws Exception {
        SigningKey first = new ClusterPki(tls, clock).ensure(NAMES).serviceAccountKey();
        Files.writeString(tls.resolve("sa.pub"), Pem.encodePublicKey(SigningKey.generate().publicKey()));

        SigningKey again = new ClusterPki(tls, clock).ensure(NAMES).serviceAccountKey();

        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(Pem.decodePublicKey(Files.readString(tls.resolve("sa.pub")))).isEqualTo(first.publicKey());
    }

    @Test
    void changedServingNamesReissueOnlyTheServingCertificate() throws Exception {
        ClusterCredentials first = new ClusterPki(tls, clock).ensure(NAMES);
        ServingNames withNewAddress = ServingNames.forApiServer(HOST, Cidr.parse("10.96.0.0/12"),
                List.of(InetAddress.ofLiteral("203.0.113.7")));

        ClusterCredentials second = new ClusterPki(tls, clock).ensure(withNewAddress);

        assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
        assertThat(second.admin().certificate()).isEqualTo(first.admin().certificate());
        assertThat(second.apiServer().certificate()).isNotEqualTo(first.apiServer().certificate());
        assertThat(ServingNames.of(second.apiServer().certificate()).ipAddresses())
                .contains(InetAddress.ofLiteral("203.0.113.7"));
    }

    @Test
    void certificatesNearExpiryAreRenewedUnderTheSameCa() {
        ClusterCredentials first = new ClusterPki(tls, clock).ensure(NAMES);
        Clock elevenMonthsLater = Clock.fixed(Instant.now().plus(Duration.ofDays(300)), ZoneOffset.UTC);

        ClusterCredentials renewed = new ClusterPki(tls, elevenMonthsLater).ensure(NAMES);

        assertThat(renewed.ca().certificate()).isEqualTo(first.ca().certificate());
        assertThat(renewed.apiServer().certificate()).isNotEqualTo(first.apiServer().certificate());
        assertThat(renewed.admin().certificate()).isNotEqualTo(first.admin().certificate());
    }

    @Test
    void leafSignedByAnotherCaIsReissued() throws Exception {
        new ClusterPki(tls, clock).ensure(NAMES);
        Path otherCluster = Files.createDirectory(tls.resolve("other"));
        new ClusterPki(otherCluster, clock).ensure(NAMES);
        Files.copy(otherCluster.resolve("admin.crt"), tls.resolve("admin.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(otherCluster.resolve("admin.key"), tls.resolve("admin.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ClusterCredentials repaired = new ClusterPki(tls, clock).ensure(NAMES);

        repaired.admin().certificate().verify(repaired.ca().certificate().getPublicKey());
    }

    @Test
    void caWithoutItsKeyIsAnErrorNotASilentNewCa() throws Exception {
        new ClusterPki(tls, clock).ensure(NAMES);
        Files.delete(tls.resolve("ca.key"));

        assertThatThrownBy(() -> new ClusterPki(tls, clock).ensure(NAMES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ca.key is missing");
    }

    @Test
    void joinTokenHasBootstrapTokenShapeIsPrivateAndStable() throws Exception {
        Path file = tls.resolve("token");

        String token = JoinToken.ensure(file);

        assertThat(token).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
        assertThat(JoinToken.ensure(file)).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
