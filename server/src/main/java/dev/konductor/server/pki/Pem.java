package dev.konductor.server.pki;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text for certificates and private keys, in the forms kubectl, client-go and Python's ssl
 * module all read: {@code CERTIFICATE} and PKCS#8 {@code PRIVATE KEY}. Done with the JDK alone
 * (no BouncyCastle), so that a restart, which only reads files, does not pay for loading it.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final String LINE_SEPARATOR = "\n";
    private static final int LINE_LENGTH = 64;

    private Pem() {
    }

    public static String encodeCertificate(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    public static String encodePrivateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("private key must be PKCS#8 encodable, is " + key.getFormat());
        }
        return encode("PRIVATE KEY", key.getEncoded());
    }

    /** Every {@code CERTIFICATE} block in {@code pem}, in order. */
    public static List<X509Certificate> decodeCertificates(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = blocks(pem, "CERTIFICATE").stream()
                    .map(der -> parseCertificate(factory, der))
                    .toList();
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no CERTIFICATE block found");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 support missing from the JDK", e);
        }
    }

    /** The first {@code PRIVATE KEY} (PKCS#8) block in {@code pem}; EC and RSA keys are accepted. */
    public static PrivateKey decodePrivateKey(String pem) {
        List<byte[]> keys = blocks(pem, "PRIVATE KEY");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no PKCS#8 PRIVATE KEY block found"
                    + (pem.contains("-----BEGIN EC PRIVATE KEY") ? " (convert the EC key with 'openssl pkcs8 -topk8 -nocrypt')" : ""));
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.getFirst());
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException wrongAlgorithm) {
                // PKCS#8 names its algorithm inside; the JDK still wants it up front. Try the next.
            }
        }
        throw new IllegalArgumentException("private key is neither EC, RSA nor Ed25519");
    }

    private static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(LINE_LENGTH, LINE_SEPARATOR.getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----" + LINE_SEPARATOR + body + LINE_SEPARATOR
                + "-----END " + type + "-----" + LINE_SEPARATOR;
    }

    private static List<byte[]> blocks(String pem, String type) {
        Matcher matcher = BLOCK.matcher(pem);
        List<byte[]> blocks = new java.util.ArrayList<>();
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(matcher.group(2)));
            }
        }
        return blocks;
    }

    private static X509Certificate parseCertificate(CertificateFactory factory, byte[] der) {
        try {
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("malformed certificate: " + e.getMessage(), e);
        }
    }
}
