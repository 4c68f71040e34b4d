package dev.konductor.api.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;

/**
 * JSON Web Signatures in compact serialization ({@code header.payload.signature}, each part
 * unpadded base64url), signed with RS256 or ES256: the form of every service account token.
 * Pure; the JDK's signature algorithms do the cryptography.
 */
public final class JsonWebSignature {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** A token split into its parts; nothing in it is trusted until {@link #verify} says so. */
    public record Parsed(ObjectNode header, ObjectNode payload, byte[] signingInput, byte[] signature) {

        public String algorithm() {
            return header.path("alg").asText("");
        }

        public String keyId() {
            return header.path("kid").asText("");
        }
    }

    private JsonWebSignature() {
    }

    /** Signs {@code payload} with {@code key}, naming the key's id and algorithm in the header. */
    public static String sign(ObjectNode payload, SigningKey key) {
        if (key.privateKey() == null) {
            throw new IllegalArgumentException("key " + key.keyId() + " has no private half to sign with");
        }
        ObjectNode header = MAPPER.createObjectNode();
        header.put("alg", key.algorithm());
        header.put("kid", key.keyId());
        String signingInput = encode(header) + "." + encode(payload);
        try {
            Signature signer = Signature.getInstance(jcaName(key.algorithm()));
            signer.initSign(key.privateKey());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + ENCODER.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with key " + key.keyId(), e);
        }
    }

    /** The token's parts, or empty when it is not a compact JWS with JSON object header and payload. */
    public static Optional<Parsed> parse(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode header = MAPPER.readTree(DECODER.decode(parts[0]));
            JsonNode payload = MAPPER.readTree(DECODER.decode(parts[1]));
            if (!(header instanceof ObjectNode h) || !(payload instanceof ObjectNode p)) {
                return Optional.empty();
            }
            byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            return Optional.of(new Parsed(h, p, signingInput, DECODER.decode(parts[2])));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code key} made the signature. The header's algorithm must be the key's own: a
     * token may not choose how it is checked.
     */
    public static boolean verify(Parsed parsed, SigningKey key) {
        if (!parsed.algorithm().equals(key.algorithm())) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(jcaName(key.algorithm()));
            verifier.initVerify(key.publicKey());
            verifier.update(parsed.signingInput());
            return verifier.verify(parsed.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String jcaName(String algorithm) {
        return switch (algorithm) {
            case "RS256" -> "SHA256withRSA";
            // JWS carries ECDSA signatures as r||s, not DER
            case "ES256" -> "SHA256withECDSAinP1363Format";
            default -> throw new IllegalArgumentException("unsupported JWS algorithm " + algorithm);
        };
    }

    private static String encode(ObjectNode json) {
        try {
            return ENCODER.encodeToString(MAPPER.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }
}
