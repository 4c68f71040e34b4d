package dev.konductor.controllers.testsupport;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A stand-in for the scheduler and the kubelets in controller tests: on a background thread it
 * binds pending pods pinned to a node (daemon pods) or to {@code defaultNode}, marks bound pods
 * Running and Ready, and completes graceful deletions. Pods {@code holdBack} matches are left as
 * they are, so a test can keep a pod unready.
 */
public final class FakeNodes implements AutoCloseable {

    private final WorkloadHarness harness;
    private final String namespace;
    private final String defaultNode;
    private volatile Predicate<Pod> holdBack = p -> false;
    private final Thread thread;
    private volatile boolean running = true;

    public FakeNodes(WorkloadHarness harness, String namespace, String defaultNode) {
        this.harness = harness;
        this.namespace = namespace;
        this.defaultNode = defaultNode;
        this.thread = Thread.ofVirtual().name("fake-nodes").start(this::loop);
    }

    public void holdBack(Predicate<Pod> which) {
        this.holdBack = which;
    }

    private void loop() {
        while (running) {
            try {
                for (Pod pod : harness.pods(namespace)) {
                    if (holdBack.test(pod)) {
                        continue;
                    }
                    step(pod);
                }
            } catch (RuntimeException e) {
                // the next round sees fresher state
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void step(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            harness.deleteNow(pod);
            return;
        }
        String node = pod.getSpec().getNodeName();
        if (node == null || node.isEmpty()) {
            harness.bind(pod, pinnedNode(pod).orElse(defaultNode));
            return;
        }
        if (!"Running".equals(pod.getStatus().getPhase()) || !ready(pod)) {
            harness.markRunningAndReady(pod);
        }
    }

    private static boolean ready(Pod pod) {
        List<PodCondition> conditions = pod.getStatus().getConditions();
        return conditions != null && conditions.stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Optional<String> pinnedNode(Pod pod) {
        try {
            return Optional.of(pod.getSpec().getAffinity().getNodeAffinity()
                    .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().getFirst()
                    .getMatchFields().getFirst().getValues().getFirst());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
