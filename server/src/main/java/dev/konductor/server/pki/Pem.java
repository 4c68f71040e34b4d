package dev.konductor.server.pki;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text for certificates and private keys, in the forms kubectl, client-go and Python's ssl
 * module all read: {@code CERTIFICATE}, PKCS#8 {@code PRIVATE KEY}, and for the P-256 keys we
 * issue also SEC1 {@code EC PRIVATE KEY} (what kubeadm writes into kubeconfigs, and the only EC
 * form the fabric8 Java client reads from one). Done with the JDK alone (no BouncyCastle), so
 * that a restart, which only reads files, does not pay for loading it.
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

    /** A public key as a PKIX {@code PUBLIC KEY} block (what {@code openssl pkey -pubout} writes). */
    public static String encodePublicKey(PublicKey key) {
        return encode("PUBLIC KEY", key.getEncoded());
    }

    /** The first {@code PUBLIC KEY} block in {@code pem}, an RSA or EC key. */
    public static PublicKey decodePublicKey(String pem) {
        List<byte[]> keys = blocks(pem, "PUBLIC KEY");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no PUBLIC KEY block found");
        }
        X509EncodedKeySpec spec = new X509EncodedKeySpec(keys.getFirst());
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException wrongAlgorithm) {
                // as for private keys: try the next algorithm
            }
        }
        throw new IllegalArgumentException("public key is neither RSA nor EC");
    }

    /**
     * A P-256 key as a SEC1 {@code EC PRIVATE KEY} block naming its curve; any other key as
     * PKCS#8 ({@link #encodePrivateKey}).
     */
    public static String encodeForKubeconfig(PrivateKey key) {
        if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            return encodePrivateKey(key);
        }
        byte[] s = unsigned(ec.getS(), 32);
        byte[] der = new byte[2 + 3 + 2 + 32 + P256_PARAMETERS.length];
        int i = 0;
        der[i++] = 0x30;
        der[i++] = (byte) (der.length - 2);
        der[i++] = 0x02; // version 1
        der[i++] = 0x01;
        der[i++] = 0x01;
        der[i++] = 0x04; // the private key, an OCTET STRING
        der[i++] = 32;
        System.arraycopy(s, 0, der, i, 32);
        System.arraycopy(P256_PARAMETERS, 0, der, i + 32, P256_PARAMETERS.length);
        return encode("EC PRIVATE KEY", der);
    }

    /** {@code [0] { OID prime256v1 }}: the curve, as SEC1's optional parameters field. */
    private static final byte[] P256_PARAMETERS = {(byte) 0xa0, 0x0a, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48,
            (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    /** {@code SEQUENCE { OID ecPublicKey, OID prime256v1 }}: PKCS#8's algorithm for a P-256 key. */
    private static final byte[] P256_ALGORITHM = {0x30, 0x13, 0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce,
            0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    private static byte[] unsigned(java.math.BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }

    /** Wraps a SEC1 P-256 key into PKCS#8, which the JDK reads. */
    private static byte[] sec1ToPkcs8(byte[] sec1) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(P256_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(sec1.length));
        body.writeBytes(sec1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        return length < 0x100 ? new byte[] {(byte) 0x81, (byte) length}
                : new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
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

    /**
     * The first {@code PRIVATE KEY} (PKCS#8) block in {@code pem}, or else its P-256
     * {@code EC PRIVATE KEY} (SEC1) block; EC and RSA keys are accepted.
     */
    public static PrivateKey decodePrivateKey(String pem) {
        List<byte[]> keys = blocks(pem, "PRIVATE KEY");
        if (keys.isEmpty() && !blocks(pem, "EC PRIVATE KEY").isEmpty()) {
            keys = List.of(sec1ToPkcs8(blocks(pem, "EC PRIVATE KEY").getFirst()));
        }
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
