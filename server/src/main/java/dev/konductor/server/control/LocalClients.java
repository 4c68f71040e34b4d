package dev.konductor.server.control;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.konductor.server.KonductorVersion;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Kubernetes clients for the components that run inside {@code konductor server}, and for
 * {@code konductor sim}. They reach the API server over HTTPS with a kubeconfig, exactly as a
 * remote component would (ARCHITECTURE.md, principle 2).
 */
public final class LocalClients {

    /**
     * One serialization for every client of the process, so the model classes' deserializers
     * are built once, not per client; Blackbird makes their setters generated lambdas, where
     * Jackson's reflective calls were a fifth of the CPU the informers spent on watch events (it
     * is registered after fabric8's own module: the newest module adapts a property first, and
     * Blackbird only adapts plain ones, not the wrappers fabric8 puts around every property);
     * watch events are read in one pass ({@link StreamingWatchEvents}). No component reads
     * {@code managedFields}, so they are skipped, as upstream's scheduler and controller manager
     * drop them from their informers: a tenth of the informers' decoding, and of their caches
     * (watch events and responses are parsed without them at all: {@link ManagedFieldsCut}). An
     * update that leaves them out keeps the stored ones (upstream's rule, and the API server's).
     * Decoded model objects drop their empty {@code additionalProperties} maps
     * ({@link EmptyAdditionalProperties}) and share the strings that repeat from object to object
     * ({@link SharedStrings}).
     */
    static final KubernetesSerialization SERIALIZATION = serialization();

    private static KubernetesSerialization serialization() {
        ObjectMapper mapper = new ObjectMapper().addMixIn(ObjectMeta.class, WithoutManagedFields.class)
                .registerModule(new EmptyAdditionalProperties()) // first: it wraps what the others make
                .registerModule(new SharedStrings());
        KubernetesSerialization serialization = new StreamingWatchEvents(mapper, true); // the mixin above skips them
        mapper.registerModule(new BlackbirdModule());
        return serialization;
    }

    @JsonIgnoreProperties(value = "managedFields", allowGetters = true, ignoreUnknown = true)
    private abstract static class WithoutManagedFields {
    }

    private static final String USER_AGENT_VERSION = KonductorVersion.current().version() + " (konductor)";

    private LocalClients() {
    }

    /**
     * A client for the current context of {@code kubeconfig}, 30 s request timeout. Watches use
     * WebSocket, fabric8's default: its plain-HTTP watch copies every event into a StringBuffer one
     * char at a time, which cost the server's own informers a third of its CPU under load.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public static KubernetesClient fromKubeconfig(Path kubeconfig) {
        return fromKubeconfig(kubeconfig, "konductor");
    }

    /**
     * As {@link #fromKubeconfig(Path)}, for {@code component}: it names itself in its user agent,
     * whose first word the API server records as the field manager of its writes, as upstream's
     * {@code kube-scheduler}, {@code kubelet}... appear in {@code managedFields}.
     */
    public static KubernetesClient fromKubeconfig(Path kubeconfig, String component) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            config.setRequestTimeout(30_000);
            config.setUserAgent(component + "/" + USER_AGENT_VERSION);
            return new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(SERIALIZATION).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
    }

    /** A leader-election identity: the host name and a random suffix, as upstream's components use. */
    static String identity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "konductor";
        }
        return host + "_" + UUID.randomUUID();
    }
}
