package dev.konductor.kubelet.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * A pod's ephemeral containers ({@code kubectl debug}) as the node runs them: containers like the
 * others, started once in the pod's sandbox and never restarted, in the process namespace of
 * their target container when they name one.
 */
public final class EphemeralContainers {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private EphemeralContainers() {
    }

    /** The pod's ephemeral containers, each as the Container it runs as (the fields they share). */
    public static List<Container> of(Pod pod) {
        List<EphemeralContainer> ephemeral = pod.getSpec().getEphemeralContainers();
        if (ephemeral == null || ephemeral.isEmpty()) {
            return List.of();
        }
        return ephemeral.stream().map(EphemeralContainers::asContainer).toList();
    }

    static Container asContainer(EphemeralContainer ephemeral) {
        Container container = MAPPER.convertValue(ephemeral, Container.class);
        container.getAdditionalProperties().remove("targetContainerName");
        return container;
    }

    /** The container whose processes the ephemeral container {@code name} is to see, if it names one. */
    public static Optional<String> target(Pod pod, String name) {
        List<EphemeralContainer> ephemeral = pod.getSpec().getEphemeralContainers();
        if (ephemeral == null) {
            return Optional.empty();
        }
        return ephemeral.stream().filter(e -> name.equals(e.getName())).findFirst()
                .map(EphemeralContainer::getTargetContainerName).filter(t -> !t.isEmpty());
    }

    public static boolean isEphemeral(Pod pod, String name) {
        List<EphemeralContainer> ephemeral = pod.getSpec().getEphemeralContainers();
        return ephemeral != null && ephemeral.stream().anyMatch(e -> name.equals(e.getName()));
    }
}
