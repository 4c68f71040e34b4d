package dev.konductor.kubelet.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The kubelet's serving certificate, self-signed as upstream's kubelet makes it when none is
 * given ({@code CN=NODE@TIMESTAMP}, names: the node's host name and addresses), kept in
 * {@code DIR/kubelet.crt} and {@code DIR/kubelet.key} and reused while valid for the same names.
 * The API server does not verify it (as upstream without --kubelet-certificate-authority).
 */
public record ServingCertificate(PrivateKey key, X509Certificate certificate) {

    static final Duration VALIDITY = Duration.ofDays(365);

    public static ServingCertificate loadOrCreate(Path dir, String nodeName, List<InetAddress> addresses, Clock clock) {
        Path certFile = dir.resolve("kubelet.crt");
        Path keyFile = dir.resolve("kubelet.key");
        try {
            if (Files.exists(certFile) && Files.exists(keyFile)) {
                ServingCertificate existing = read(certFile, keyFile);
                Instant renewAt = existing.certificate().getNotAfter().toInstant().minus(Duration.ofDays(30));
                if (clock.instant().isBefore(renewAt) && existing.certificate().getSubjectX500Principal().getName()
                        .startsWith("CN=" + nodeName + "@") && coversAll(existing.certificate(), addresses)) {
                    return existing;
                }
            }
            ServingCertificate created = create(nodeName, addresses, clock);
            Files.createDirectories(dir);
            Files.writeString(keyFile, pem("PRIVATE KEY", created.key().getEncoded()));
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(certFile, pem("CERTIFICATE", created.certificate().getEncoded()));
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the kubelet's certificate in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the kubelet's certificate: " + e.getMessage(), e);
        }
    }

    static ServingCertificate create(String nodeName, List<InetAddress> addresses, Clock clock) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = clock.instant();
        X500Name subject = new X500Name("CN=" + nodeName + "@" + now.getEpochSecond());
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, nodeName));
        for (InetAddress address : addresses) {
            names.add(new GeneralName(GeneralName.iPAddress, address.getHostAddress()));
        }
        try {
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new ServingCertificate(keys.getPrivate(), certificate);
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static boolean coversAll(X509Certificate certificate, List<InetAddress> addresses) throws GeneralSecurityException {
        var alternatives = certificate.getSubjectAlternativeNames();
        if (alternatives == null) {
            return addresses.isEmpty();
        }
        List<String> ips = alternatives.stream().filter(n -> (Integer) n.get(0) == GeneralName.iPAddress)
                .map(n -> (String) n.get(1)).toList();
        return addresses.stream().allMatch(a -> ips.stream().anyMatch(ip -> sameAddress(ip, a)));
    }

    private static boolean sameAddress(String text, InetAddress address) {
        try {
            return InetAddress.ofLiteral(text).equals(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ServingCertificate read(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(certFile));
        byte[] der = Base64.getMimeDecoder().decode(Files.readString(keyFile)
                .replaceAll("-----[A-Z ]+-----", "").strip());
        PrivateKey key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(der));
        return new ServingCertificate(key, certificate);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
