package dev.konductor.server.pki;

import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.server.datadir.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that signs service account tokens, next to the CA as kubeadm keeps it: {@code sa.key}
 * (PKCS#8, mode 0600) and {@code sa.pub} (PKIX, 0644). Made on first start and never replaced:
 * every token issued so far, including the legacy ones stored in Secrets, is signed with it.
 */
public final class ServiceAccountKeyFiles {

    private static final Logger log = LoggerFactory.getLogger(ServiceAccountKeyFiles.class);

    private ServiceAccountKeyFiles() {
    }

    /** The key stored in {@code directory}, generated and stored first if there is none. */
    public static SigningKey ensure(Path directory) {
        Path keyFile = directory.resolve("sa.key");
        Path publicFile = directory.resolve("sa.pub");
        if (!Files.exists(keyFile)) {
            SigningKey key = SigningKey.generate();
            AtomicFiles.write(keyFile, Pem.encodePrivateKey(key.privateKey()), AtomicFiles.Mode.PRIVATE);
            AtomicFiles.write(publicFile, Pem.encodePublicKey(key.publicKey()), AtomicFiles.Mode.PUBLIC);
            log.info("created service account signing key file={} kid={}", keyFile, key.keyId());
            return key;
        }
        PrivateKey privateKey = Pem.decodePrivateKey(read(keyFile));
        PublicKey publicKey = Files.exists(publicFile) ? Pem.decodePublicKey(read(publicFile)) : null;
        // A signature checks the pair with the JDK alone; deriving the public half takes
        // BouncyCastle's curve arithmetic, which on every start loaded ~300 classes from its
        // signed jar (an AOT cache cannot hold them) and parsed that jar's 850 KB manifest.
        if (publicKey == null || !ClusterPki.keyMatches(privateKey, publicKey)) {
            PublicKey derived = derivePublic(privateKey);
            if (derived == null) {
                throw new IllegalStateException(publicFile + " is missing or not the public half of " + keyFile
                        + "; write that there ('openssl pkey -in sa.key -pubout')");
            }
            // sa.key is what signs; a missing or stale sa.pub is rewritten from it
            AtomicFiles.write(publicFile, Pem.encodePublicKey(derived), AtomicFiles.Mode.PUBLIC);
            publicKey = derived;
        }
        return SigningKey.of(privateKey, publicKey);
    }

    /**
     * The public half of a private key: an RSA key's CRT form carries the exponent, an EC key's
     * public point is its scalar times the curve's generator; null for other keys.
     */
    private static PublicKey derivePublic(PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(),
                        rsa.getPublicExponent()));
            }
            if (key instanceof ECPrivateKey ec) {
                ECParameterSpec params = ec.getParams();
                org.bouncycastle.math.ec.ECPoint q = EC5Util.convertSpec(params).getG().multiply(ec.getS()).normalize();
                ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, params));
            }
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the public half of " + key.getAlgorithm() + " key", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
