package dev.konductor.kubelet.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In which order a pod's running containers stop when the whole pod goes, as upstream's
 * terminationOrdering: app containers first, all at once; then the sidecars (init containers
 * with restartPolicy Always) in the reverse of their order in the spec, each once every app
 * container and every later sidecar has exited, so that a proxy or log shipper outlives what
 * it serves. A container that is not running is no one's prerequisite. Pure.
 */
final class TerminationOrder {

    private TerminationOrder() {
    }

    /**
     * For each running container, the running containers that must have exited before it is
     * stopped (empty for app containers).
     */
    static Map<String, List<String>> prerequisites(Pod pod, Set<String> running) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> apps = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            if (running.contains(c.getName())) {
                apps.add(c.getName());
                out.put(c.getName(), List.of());
            }
        }
        List<Container> inits = PodActionsPlanner.initContainers(pod);
        String laterSidecar = null;
        for (int i = inits.size() - 1; i >= 0; i--) {
            Container c = inits.get(i);
            if (!PodActionsPlanner.isSidecar(c)) {
                continue;
            }
            List<String> waitFor = new ArrayList<>(apps);
            if (laterSidecar != null) {
                waitFor.add(laterSidecar);
            }
            if (running.contains(c.getName())) {
                out.put(c.getName(), List.copyOf(waitFor));
                laterSidecar = c.getName();
            }
        }
        return out;
    }
}
