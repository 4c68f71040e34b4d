package dev.konductor.server.pki;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a node needs to join a cluster safely, in k3s's secure token form
 * {@code K10<sha256 of the cluster CA>::<id>.<secret>}: the hash lets the node tell the real
 * server from an impostor before it sends the secret (the hash is over the CA certificate's DER
 * encoding, so it does not depend on how the PEM text is wrapped); the secret is the join
 * token the API server accepts as a bearer token.
 *
 * @param caHash the SHA-256 of the cluster CA certificate, 64 lowercase hex digits
 * @param secret the join token, {@code abcdef.0123456789abcdef}
 */
public record NodeToken(String caHash, String secret) {

    private static final Pattern FORMAT = Pattern.compile("K10([0-9a-f]{64})::([a-z0-9]{6}\\.[a-z0-9]{16})");

    public NodeToken {
        Objects.requireNonNull(caHash);
        Objects.requireNonNull(secret);
        if (!FORMAT.matcher("K10" + caHash + "::" + secret).matches()) {
            throw new IllegalArgumentException("not a CA hash and join token: " + caHash + ", " + secret.replaceAll("\\..*", ".****"));
        }
    }

    /** The token for {@code ca} and {@code secret}. */
    public static NodeToken of(X509Certificate ca, String secret) {
        return new NodeToken(hash(ca), secret);
    }

    /**
     * Parses the full form. A bare {@code id.secret} is refused: without the CA hash the node
     * could not check whom it talks to.
     */
    public static NodeToken parse(String text) {
        String token = text.strip();
        Matcher matcher = FORMAT.matcher(token);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(token.startsWith("K10")
                    ? "the token is not of the form K10<sha256 of the cluster CA>::<id>.<secret>"
                    : "the token lacks the cluster CA's hash: use the server's DATA/node-token"
                            + " (K10<sha256>::<id>.<secret>), not DATA/token");
        }
        return new NodeToken(matcher.group(1), matcher.group(2));
    }

    /** Whether {@code certificate} is the CA this token names. */
    public boolean names(X509Certificate certificate) {
        return MessageDigest.isEqual(caHash.getBytes(StandardCharsets.US_ASCII),
                hash(certificate).getBytes(StandardCharsets.US_ASCII));
    }

    static String hash(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the cluster CA", e);
        }
    }

    /** {@code K10<hash>::<id>.<secret>}. */
    public String format() {
        return "K10" + caHash + "::" + secret;
    }

    @Override
    public String toString() {
        return "K10" + caHash + "::" + secret.substring(0, secret.indexOf('.')) + ".****";
    }
}
