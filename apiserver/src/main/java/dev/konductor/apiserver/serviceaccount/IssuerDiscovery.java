package dev.konductor.apiserver.serviceaccount;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.serviceaccount.SigningKey;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The service account issuer's OpenID Connect discovery documents, so that other systems (cloud
 * IAM, Vault) can verify service account tokens without asking the cluster:
 * {@code /.well-known/openid-configuration} and the key set at {@code /openid/v1/jwks}.
 */
public final class IssuerDiscovery {

    public static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
    public static final String KEYS_PATH = "/openid/v1/jwks";

    private final String issuer;
    private final Supplier<String> externalAddress;
    private final List<String> algorithms;
    private final ObjectNode keys;

    /**
     * @param externalAddress {@code host:port} under which this API server is reachable (known
     *                        once it listens)
     */
    public IssuerDiscovery(String issuer, Supplier<String> externalAddress, List<SigningKey> verificationKeys) {
        this.issuer = issuer;
        this.externalAddress = externalAddress;
        this.algorithms = verificationKeys.stream().map(SigningKey::algorithm).distinct().sorted().toList();
        keys = JsonNodeFactory.instance.objectNode();
        var array = keys.putArray("keys");
        verificationKeys.forEach(k -> array.add(jwk(k)));
    }

    public ObjectNode configuration() {
        ObjectNode configuration = JsonNodeFactory.instance.objectNode();
        configuration.put("issuer", issuer);
        configuration.put("jwks_uri", "https://" + externalAddress.get() + KEYS_PATH);
        configuration.putArray("response_types_supported").add("id_token");
        configuration.putArray("subject_types_supported").add("public");
        algorithms.forEach(configuration.putArray("id_token_signing_alg_values_supported")::add);
        return configuration;
    }

    public ObjectNode keys() {
        return keys.deepCopy();
    }

    /** RFC 7517 form of a public key, in the order upstream lists the fields. */
    static ObjectNode jwk(SigningKey key) {
        ObjectNode jwk = JsonNodeFactory.instance.objectNode();
        jwk.put("use", "sig");
        switch (key.publicKey()) {
            case RSAPublicKey rsa -> {
                jwk.put("kty", "RSA");
                jwk.put("kid", key.keyId());
                jwk.put("alg", key.algorithm());
                jwk.put("n", base64Url(rsa.getModulus()));
                jwk.put("e", base64Url(rsa.getPublicExponent()));
            }
            case ECPublicKey ec -> {
                jwk.put("kty", "EC");
                jwk.put("kid", key.keyId());
                jwk.put("crv", "P-256");
                jwk.put("alg", key.algorithm());
                jwk.put("x", base64Url(ec.getW().getAffineX(), 32));
                jwk.put("y", base64Url(ec.getW().getAffineY(), 32));
            }
            default -> throw new IllegalArgumentException("unsupported key " + key.publicKey().getAlgorithm());
        }
        return jwk;
    }

    /** Big-endian, without the sign byte Java adds to a positive number with its top bit set. */
    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(bytes, skip,
                bytes.length));
    }

    /** A fixed-width coordinate (EC points are padded to the curve's size). */
    private static String base64Url(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
