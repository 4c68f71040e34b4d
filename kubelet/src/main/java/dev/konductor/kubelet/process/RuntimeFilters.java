package dev.konductor.kubelet.process;

import dev.konductor.kubelet.cri.v1.Container;
import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.PodSandbox;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import java.util.Map;

/** CRI's list filters: every field that is set must match; labels by equality. Pure. */
final class RuntimeFilters {

    private RuntimeFilters() {
    }

    static boolean matches(PodSandboxFilter filter, PodSandbox sandbox) {
        return (filter.getId().isEmpty() || filter.getId().equals(sandbox.getId()))
                && (!filter.hasState() || filter.getState().getState() == sandbox.getState())
                && labelsMatch(filter.getLabelSelectorMap(), sandbox.getLabelsMap());
    }

    static boolean matches(ContainerFilter filter, Container container) {
        return (filter.getId().isEmpty() || filter.getId().equals(container.getId()))
                && (filter.getPodSandboxId().isEmpty() || filter.getPodSandboxId().equals(container.getPodSandboxId()))
                && (!filter.hasState() || filter.getState().getState() == container.getState())
                && labelsMatch(filter.getLabelSelectorMap(), container.getLabelsMap());
    }

    private static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
