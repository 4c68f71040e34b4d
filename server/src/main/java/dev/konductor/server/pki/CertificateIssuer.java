package dev.konductor.server.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates ECDSA P-256 keys and X.509 certificates. P-256 rather than RSA because generating a
 * key takes about a millisecond instead of tens to hundreds, which keeps a first start fast, and
 * every Kubernetes client accepts it.
 *
 * <p>Certificates carry the extensions strict verifiers insist on (Python 3.13 turns on
 * OpenSSL's X509_STRICT by default): key usage, subject and authority key identifiers, and a
 * critical basic-constraints on the CA.
 */
final class CertificateIssuer {

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    /** Clocks on other machines (future agents) may lag; a certificate valid "from now" would be rejected there. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private final Clock clock;
    // Default SecureRandom: /dev/urandom on Linux, never blocks (unlike getInstanceStrong()).
    private final SecureRandom random = new SecureRandom();

    CertificateIssuer(Clock clock) {
        this.clock = clock;
    }

    KeyAndCertificate selfSignedCa(String commonName) {
        KeyPair keys = newKeyPair();
        X500Name subject = name(commonName, List.of());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(subject, subject, keys, CA_VALIDITY)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new KeyAndCertificate(keys.getPrivate(), sign(builder, keys.getPrivate()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create CA certificate: " + e.getMessage(), e);
        }
    }

    /** A server certificate for {@code names}, signed by {@code ca}. */
    KeyAndCertificate issueServing(KeyAndCertificate ca, String commonName, ServingNames names) {
        List<GeneralName> alternatives = new java.util.ArrayList<>();
        names.dnsNames().stream().sorted()
                .forEach(dns -> alternatives.add(new GeneralName(GeneralName.dNSName, dns)));
        names.ipAddresses().stream().map(InetAddress::getHostAddress).sorted()
                .forEach(ip -> alternatives.add(new GeneralName(GeneralName.iPAddress, ip)));
        return issueLeaf(ca, name(commonName, List.of()), KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(alternatives.toArray(GeneralName[]::new)));
    }

    /**
     * A client certificate: Kubernetes takes the common name as the user name and each
     * organization as a group.
     */
    KeyAndCertificate issueClient(KeyAndCertificate ca, String commonName, List<String> organizations) {
        return issueLeaf(ca, name(commonName, organizations), KeyPurposeId.id_kp_clientAuth, null);
    }

    private KeyAndCertificate issueLeaf(KeyAndCertificate ca, X500Name subject, KeyPurposeId purpose,
                                        GeneralNames alternativeNames) {
        KeyPair keys = newKeyPair();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(issuer, subject, keys, LEAF_VALIDITY)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
            return new KeyAndCertificate(keys.getPrivate(), sign(builder, ca.key()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Duration validity) {
        Instant now = clock.instant();
        // Serial numbers must be unique per CA and positive; 127 random bits is what Go's tooling uses.
        BigInteger serial = new BigInteger(127, random);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(validity)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            var signerOperator = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signerOperator));
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot sign certificate: " + e.getMessage(), e);
        }
    }

    private KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA P-256 unavailable in this JDK", e);
        }
    }

    private static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(organization -> builder.addRDN(BCStyle.O, organization));
        return builder.addRDN(BCStyle.CN, commonName).build();
    }
}
