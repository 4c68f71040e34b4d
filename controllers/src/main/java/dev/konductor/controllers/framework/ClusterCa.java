package dev.konductor.controllers.framework;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA that verifies the API server, as the controller manager's own client trusts it (its
 * kubeconfig's certificate authority): what pods are given to trust {@code kubernetes.default.svc}.
 */
public final class ClusterCa {

    private static final Logger log = LoggerFactory.getLogger(ClusterCa.class);

    private ClusterCa() {
    }

    /** The PEM the client trusts: its CA data (base64) or CA file; empty if it has none. */
    public static Optional<String> pemOf(Config config) {
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            return Optional.of(new String(Base64.getDecoder().decode(config.getCaCertData().trim()),
                    StandardCharsets.UTF_8));
        }
        if (config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
            try {
                return Optional.of(Files.readString(Path.of(config.getCaCertFile())));
            } catch (IOException e) {
                log.warn("cannot read the cluster CA file={} error={}", config.getCaCertFile(), e.toString());
            }
        }
        return Optional.empty();
    }
}
