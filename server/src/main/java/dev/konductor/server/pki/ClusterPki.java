package dev.konductor.server.pki;

import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.server.datadir.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's certificates in a directory ({@code DIR/tls}), created on first start and reused
 * afterwards:
 *
 * <ul>
 *   <li>{@code ca.crt}, {@code ca.key}: the cluster CA, valid ten years. Never replaced
 *       automatically: every kubeconfig and node trusts it.
 *   <li>{@code apiserver.crt}, {@code apiserver.key}: the API serving certificate, reissued when
 *       its names differ from the wanted ones, when it no longer verifies against the CA, or
 *       when it is within {@link #RENEW_BEFORE} of expiry (as k3s renews on restart).
 *   <li>{@code admin.crt}, {@code admin.key}: the admin client certificate,
 *       {@code CN=kubernetes-admin, O=system:masters} as kubeadm issues it; reissued by the same
 *       rules.
 *   <li>{@code controller-manager.*}, {@code scheduler.*}, {@code node.*}: the client
 *       certificates of the server's own components ({@link ClientIdentity}); reissued when the
 *       identity they should carry changes (the host was renamed).
 *   <li>{@code sa.key}, {@code sa.pub}: the key service account tokens are signed with
 *       ({@link ServiceAccountKeyFiles}).
 * </ul>
 *
 * Keys are PKCS#8 PEM with mode 0600; certificates PEM with mode 0644. Reusing reads files with
 * the JDK only; BouncyCastle is loaded only when something must be issued.
 */
public final class ClusterPki {

    public static final String ADMIN_USER = "kubernetes-admin";
    public static final String ADMIN_GROUP = "system:masters";
    static final Duration RENEW_BEFORE = Duration.ofDays(90);

    private static final Logger log = LoggerFactory.getLogger(ClusterPki.class);
    private static final String API_SERVER_COMMON_NAME = "kube-apiserver";

    private final Path directory;
    private final Clock clock;
    private CertificateIssuer issuer;

    public ClusterPki(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /** Loads the certificates, creating or reissuing whatever is missing or unfit. */
    public ClusterCredentials ensure(ServingNames servingNames) {
        return ensure(servingNames, List.of());
    }

    /** As {@link #ensure(ServingNames)}, with the client certificates of {@code components}. */
    public ClusterCredentials ensure(ServingNames servingNames, List<ClientIdentity> components) {
        KeyAndCertificate ca = loadOrCreateCa();
        KeyAndCertificate apiServer = reuseOrIssue("apiserver", ca,
                certificate -> ServingNames.of(certificate).equals(servingNames)
                        ? Optional.empty() : Optional.of("serving names changed"),
                () -> issuer().issueServing(ca, API_SERVER_COMMON_NAME, servingNames));
        KeyAndCertificate admin = reuseOrIssue("admin", ca,
                certificate -> Optional.empty(),
                () -> issuer().issueClient(ca, ADMIN_USER, List.of(ADMIN_GROUP)));
        return new ClusterCredentials(ca, apiServer, admin, ServiceAccountKeyFiles.ensure(directory),
                components(ca, components));
    }

    /** Each component's client certificate, reissued when the identity it should carry changed. */
    private Map<String, KeyAndCertificate> components(KeyAndCertificate ca, List<ClientIdentity> components) {
        Map<String, KeyAndCertificate> issued = new HashMap<>();
        for (ClientIdentity component : components) {
            issued.put(component.file(), reuseOrIssue(component.file(), ca,
                    certificate -> CertificateSubject.of(certificate).names(component)
                            ? Optional.empty() : Optional.of("identity changed to " + component.user()),
                    () -> issuer().issueClient(ca, component.user(), component.groups())));
        }
        return issued;
    }

    private KeyAndCertificate loadOrCreateCa() {
        Path certificateFile = directory.resolve("ca.crt");
        Path keyFile = directory.resolve("ca.key");
        boolean haveCertificate = Files.exists(certificateFile);
        if (haveCertificate != Files.exists(keyFile)) {
            throw new IllegalStateException("cluster CA is incomplete: " + (haveCertificate ? keyFile : certificateFile)
                    + " is missing. Remove " + directory + " to create a new CA (existing kubeconfigs stop working).");
        }
        if (haveCertificate) {
            KeyAndCertificate ca = read(certificateFile, keyFile);
            if (!keyMatches(ca.key(), ca.certificate().getPublicKey())) {
                throw new IllegalStateException(keyFile + " does not belong to " + certificateFile);
            }
            return ca;
        }
        KeyAndCertificate ca = issuer().selfSignedCa("konductor-ca@" + clock.instant().getEpochSecond());
        write(ca, certificateFile, keyFile);
        log.info("created cluster CA file={}", certificateFile);
        return ca;
    }

    /**
     * Returns the pair stored under {@code name} if it is still fit, otherwise issues, stores and
     * returns a new one. {@code unfit} returns why an otherwise valid certificate must be replaced.
     */
    private KeyAndCertificate reuseOrIssue(String name, KeyAndCertificate ca,
                                           java.util.function.Function<X509Certificate, Optional<String>> unfit,
                                           Supplier<KeyAndCertificate> issue) {
        Path certificateFile = directory.resolve(name + ".crt");
        Path keyFile = directory.resolve(name + ".key");
        Optional<String> reissueBecause = Optional.of("missing");
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            KeyAndCertificate existing = read(certificateFile, keyFile);
            reissueBecause = invalidReason(existing, ca).or(() -> unfit.apply(existing.certificate()));
            if (reissueBecause.isEmpty()) {
                return existing;
            }
        }
        KeyAndCertificate issued = issue.get();
        write(issued, certificateFile, keyFile);
        log.info("issued certificate name={} reason=\"{}\" file={}", name, reissueBecause.get(), certificateFile);
        return issued;
    }

    private Optional<String> invalidReason(KeyAndCertificate pair, KeyAndCertificate ca) {
        X509Certificate certificate = pair.certificate();
        try {
            certificate.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("not signed by the cluster CA");
        }
        if (!keyMatches(pair.key(), certificate.getPublicKey())) {
            return Optional.of("key does not match certificate");
        }
        Instant renewAt = certificate.getNotAfter().toInstant().minus(RENEW_BEFORE);
        if (!clock.instant().isBefore(renewAt)) {
            return Optional.of("expires " + certificate.getNotAfter().toInstant());
        }
        return Optional.empty();
    }

    /**
     * Whether {@code key} is the private half of {@code publicKey}. A crash between writing a
     * key and its certificate could leave a mismatched pair, which would otherwise surface as a
     * baffling TLS failure much later.
     */
    static boolean keyMatches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        byte[] challenge = "konductor".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private CertificateIssuer issuer() {
        if (issuer == null) {
            issuer = new CertificateIssuer(clock);
        }
        return issuer;
    }

    private static KeyAndCertificate read(Path certificateFile, Path keyFile) {
        try {
            X509Certificate certificate = Pem.decodeCertificates(Files.readString(certificateFile)).getFirst();
            PrivateKey key = Pem.decodePrivateKey(Files.readString(keyFile));
            return new KeyAndCertificate(key, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + certificateFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot read " + certificateFile + " or " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static void write(KeyAndCertificate pair, Path certificateFile, Path keyFile) {
        // Key first: a crash in between leaves a mismatch that keyMatches() detects and repairs.
        AtomicFiles.write(keyFile, Pem.encodePrivateKey(pair.key()), AtomicFiles.Mode.PRIVATE);
        AtomicFiles.write(certificateFile, Pem.encodeCertificate(pair.certificate()), AtomicFiles.Mode.PUBLIC);
    }
}
