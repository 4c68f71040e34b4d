package dev.konductor.server.pki;

import dev.konductor.server.datadir.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The secret a node presents to join the cluster, kept in {@code DIR/token} (mode 0600). It has
 * the shape of a kubeadm bootstrap token ({@code abcdef.0123456789abcdef}: a public id and a
 * secret), so it reads as what it is.
 */
public final class JoinToken {

    /** The group a join token's user is in, as kubeadm's bootstrap tokens. */
    public static final String BOOTSTRAPPERS = "system:bootstrappers";

    private static final Pattern FORMAT = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private JoinToken() {
    }

    /** The token stored in {@code file}; a new one is generated and stored when there is none. */
    public static String ensure(Path file) {
        try {
            if (Files.exists(file)) {
                String existing = Files.readString(file).strip();
                if (!FORMAT.matcher(existing).matches()) {
                    throw new IllegalStateException(file + " does not hold a token of the form abcdef.0123456789abcdef;"
                            + " fix or remove it (nodes that joined with the old token must rejoin)");
                }
                return existing;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String token = generate(new SecureRandom());
        AtomicFiles.write(file, token + "\n", AtomicFiles.Mode.PRIVATE);
        return token;
    }

    /**
     * The user a join token authenticates as, named after its public id as upstream's bootstrap
     * token authenticator names it: {@code system:bootstrap:abcdef}. RBAC lets it read the cluster
     * settings and ask for a node certificate, nothing more.
     */
    public static String user(String token) {
        return "system:bootstrap:" + token.substring(0, token.indexOf('.'));
    }

    static String generate(SecureRandom random) {
        StringBuilder token = new StringBuilder(23);
        for (int i = 0; i < 22; i++) {
            if (i == 6) {
                token.append('.');
            }
            token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return token.toString();
    }
}
