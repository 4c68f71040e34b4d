package dev.konductor.api.serviceaccount;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * The key service account tokens are signed with (upstream's {@code sa.key}), with the key id
 * every token's header names: the unpadded base64url SHA-256 of the public key's PKIX encoding,
 * as upstream computes it, so verifiers holding the JWKS find the right key.
 *
 * @param privateKey signs; null for a verify-only key (a public key from elsewhere)
 * @param publicKey  verifies
 * @param keyId      the {@code kid} header value
 * @param algorithm  {@code RS256} for RSA keys, {@code ES256} for P-256 keys
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey, String keyId, String algorithm) {

    public SigningKey {
        if (publicKey == null) {
            throw new IllegalArgumentException("a signing key needs its public key");
        }
    }

    public static SigningKey of(PrivateKey privateKey, PublicKey publicKey) {
        return new SigningKey(privateKey, publicKey, keyIdOf(publicKey), algorithmOf(publicKey));
    }

    public static SigningKey of(KeyPair pair) {
        return of(pair.getPrivate(), pair.getPublic());
    }

    /**
     * A fresh P-256 key pair, as kubeadm makes {@code sa.key} with {@code encryptionAlgorithm:
     * ECDSA-P256} (its tokens are ES256): made in milliseconds, where an RSA key took a new
     * cluster's first start a second. RSA keys from elsewhere are still accepted ({@link #of}).
     */
    public static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return of(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC key", e);
        }
    }

    /** This key without its private half, for verifiers. */
    public SigningKey publicOnly() {
        return new SigningKey(null, publicKey, keyId, algorithm);
    }

    static String keyIdOf(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static String algorithmOf(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return "RS256";
        }
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
            return "ES256";
        }
        throw new IllegalArgumentException("service account keys must be RSA or EC P-256, not " + key.getAlgorithm());
    }
}
