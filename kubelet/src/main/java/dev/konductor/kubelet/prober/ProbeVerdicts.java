package dev.konductor.kubelet.prober;

import dev.konductor.kubelet.runtime.ContainerState;
import io.fabric8.kubernetes.api.model.Container;
import java.util.Optional;

/** What the probes say about a container instance: what the pod's plan and status read. */
public interface ProbeVerdicts {

    /** No probes run: every running container counts as started and ready. */
    ProbeVerdicts NONE = new ProbeVerdicts() {
        @Override
        public ProbeManager.Health health(Container spec, ContainerState container) {
            return new ProbeManager.Health(container.running(), container.running());
        }

        @Override
        public Optional<ProbeType> mustRestart(ContainerState container) {
            return Optional.empty();
        }
    };

    ProbeManager.Health health(Container spec, ContainerState container);

    /** The probe (liveness or startup) whose failure means the instance must be restarted. */
    Optional<ProbeType> mustRestart(ContainerState container);
}
