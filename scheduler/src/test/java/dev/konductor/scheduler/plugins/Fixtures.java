package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Nodes, pods and snapshots for plugin tests. */
final class Fixtures {

    private Fixtures() {
    }

    static NodeBuilder node(String name, String cpu, String memory) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
                .endMetadata().withNewSpec().endSpec().withNewStatus()
                .addToAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
                        "pods", new Quantity("110")))
                .endStatus();
    }

    static Node node(String name) {
        return node(name, "4", "8Gi").build();
    }

    static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec();
    }

    static PodBuilder pod(String name, String cpu, String memory) {
        Map<String, Quantity> requests = new HashMap<>();
        if (cpu != null) {
            requests.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            requests.put("memory", new Quantity(memory));
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i")
                .withNewResources().withRequests(requests).endResources().endContainer().endSpec();
    }

    static PodInfo info(Pod pod) {
        return PodInfo.of(pod);
    }

    static PodInfo info(PodBuilder pod) {
        return PodInfo.of(pod.build());
    }

    static NodeInfo nodeInfo(Node node, Pod... pods) {
        NodeInfo info = new NodeInfo(node);
        for (Pod p : pods) {
            info.addPod(PodInfo.of(p));
        }
        return info;
    }

    static CycleState state(NodeInfo... nodes) {
        return new CycleState(Snapshot.of(nodes));
    }
}
