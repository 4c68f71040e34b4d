package dev.konductor.kubelet.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's quality-of-service class: the one the API server wrote in {@code status.qosClass},
 * or, when that is missing, computed from the containers' cpu and memory requests and limits
 * as upstream does (every container with limits equal to its requests: Guaranteed; nothing
 * requested or limited anywhere: BestEffort; else Burstable).
 */
public final class QosClasses {

    public static final String GUARANTEED = "Guaranteed";
    public static final String BURSTABLE = "Burstable";
    public static final String BEST_EFFORT = "BestEffort";

    private QosClasses() {
    }

    public static String of(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getQosClass() != null && !pod.getStatus().getQosClass().isEmpty()) {
            return pod.getStatus().getQosClass();
        }
        return compute(pod);
    }

    static String compute(Pod pod) {
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        boolean any = false;
        boolean guaranteed = true;
        for (Container c : all) {
            for (String resource : List.of("cpu", "memory")) {
                var request = ContainerResources.quantity(c, false, resource);
                var limit = ContainerResources.quantity(c, true, resource);
                if (request.filter(q -> q.signum() > 0).isPresent() || limit.filter(q -> q.signum() > 0).isPresent()) {
                    any = true;
                }
                if (limit.isEmpty() || (request.isPresent() && request.get().compareTo(limit.get()) != 0)) {
                    guaranteed = false;
                }
            }
        }
        if (!any) {
            return BEST_EFFORT;
        }
        return guaranteed ? GUARANTEED : BURSTABLE;
    }
}
