package dev.konductor.controllers.nodelifecycle;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.PodReadiness;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's node lifecycle controller. Every monitor period it checks each node's heartbeats
 * (the Ready condition's lastHeartbeatTime and the node's Lease in kube-node-lease); a node
 * silent for the grace period gets its conditions set to Unknown, its pods marked not Ready,
 * a NodeNotReady event, and (rate-limited per zone) the NoExecute taint that makes the taint
 * eviction controller move its pods. On every node change it keeps the NoSchedule taints that
 * mirror the node's conditions and spec.unschedulable.
 */
public final class NodeLifecycleController implements Controller {

    public static final String NAME = "node-lifecycle-controller";
    /** Upstream's event source for this controller. */
    static final String EVENT_SOURCE = "node-controller";
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    private static final String MONITOR_KEY = " monitor";
    private static final String POD_PREFIX = " pod ";
    private static final Logger log = LoggerFactory.getLogger(NodeLifecycleController.class);

    private final NodeLifecycleSettings tuning;
    private final Set<String> knownNodes = ConcurrentHashMap.newKeySet();
    private final Set<String> podsToRetry = new HashSet<>();
    private KubernetesClient client;
    private Clock clock;
    private Duration monitorPeriod;
    private NodeHealth health;
    private Zones zones;
    private CoreEvents events;
    private Lister<Node> nodes;
    private Lister<Lease> leases;
    private Lister<Pod> pods;
    private ControllerLoop loop;

    public NodeLifecycleController() {
        this(NodeLifecycleSettings.defaults());
    }

    public NodeLifecycleController(NodeLifecycleSettings tuning) {
        this.tuning = tuning;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        clock = context.clock();
        monitorPeriod = context.settings().nodeMonitorPeriod();
        Duration grace = context.settings().nodeMonitorGracePeriod();
        health = new NodeHealth(grace, tuning.startupGrace(grace));
        zones = new Zones(tuning);
        events = context.events(EVENT_SOURCE);
        nodes = context.informers().lister(Node.class);
        leases = context.informers().lister(Lease.class);
        pods = context.informers().lister(Pod.class);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());
        context.informers().of(Node.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                loop.enqueue(node.getMetadata().getName());
            }

            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                loop.enqueue(newNode.getMetadata().getName());
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                // the next monitor pass notices; enqueueing the monitor here would start a second timer
            }
        });
        context.informers().of(Pod.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                if (boundTo(pod) != null) {
                    loop.enqueue(POD_PREFIX + Keys.of(pod));
                }
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (boundTo(newPod) != null && !Objects.equals(boundTo(oldPod), boundTo(newPod))) {
                    loop.enqueue(POD_PREFIX + Keys.of(newPod));
                }
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
            }
        });
        loop.start(context.informers()::synced);
        loop.queue().addAfter(MONITOR_KEY, monitorPeriod);
    }

    Result reconcile(String key) {
        if (key.equals(MONITOR_KEY)) {
            return monitor();
        }
        if (key.startsWith(POD_PREFIX)) {
            processPod(key.substring(POD_PREFIX.length()));
            return Result.done();
        }
        syncNoScheduleTaints(key);
        return Result.done();
    }

    // ---- NoSchedule taints, on every node change

    private void syncNoScheduleTaints(String nodeName) {
        Node node = nodes.get(nodeName).orElse(null);
        if (node == null || node.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        Set<String> wanted = NodeTaints.wantedNoSchedule(node);
        editTaints(nodeName, taints -> NodeTaints.withNoSchedule(taints, wanted, clock.instant()));
    }

    // ---- the monitor pass

    /** One pass over every node; always schedules the next one (a failing pass is retried by the next). */
    private Result monitor() {
        try {
            monitorPass();
        } catch (RuntimeException e) {
            log.warn("node lifecycle: monitor pass failed: {}", e.toString());
        }
        return Result.after(monitorPeriod);
    }

    private void monitorPass() {
        Instant now = clock.instant();
        List<Node> all = new ArrayList<>(nodes.list());
        all.sort(Comparator.comparing(n -> n.getMetadata().getName()));
        noteAddedAndRemoved(all);
        Map<String, List<NodeCondition>> byZone = new HashMap<>();
        for (Node node : all) {
            try {
                monitorNode(node, now, byZone);
            } catch (RuntimeException e) {
                log.warn("node lifecycle: cannot check node {}: {}", node.getMetadata().getName(), e.toString());
            }
        }
        handleDisruption(byZone, all, now);
        taintDueNodes(now);
    }

    private void noteAddedAndRemoved(List<Node> all) {
        Set<String> names = new HashSet<>();
        for (Node node : all) {
            String name = node.getMetadata().getName();
            names.add(name);
            if (knownNodes.add(name)) {
                events.normal(node, "RegisteredNode", "Node " + name + " event: Registered Node " + name
                        + " in Controller");
            }
        }
        for (String gone : List.copyOf(knownNodes)) {
            if (!names.contains(gone)) {
                knownNodes.remove(gone);
                health.forget(gone);
                zones.reachable(gone);
                podsToRetry.remove(gone);
                events.normal(new NodeBuilder().withNewMetadata().withName(gone).withUid(gone).endMetadata().build(),
                        "RemovingNode", "Node " + gone + " event: Removing Node " + gone + " from Controller");
            }
        }
    }

    private void monitorNode(Node node, Instant now, Map<String, List<NodeCondition>> byZone) {
        String name = node.getMetadata().getName();
        Lease lease = leases.get(NODE_LEASE_NAMESPACE, name).orElse(null);
        NodeHealth.Observation seen = health.observe(node, lease, now);
        if (seen.statusToWrite().isPresent()) {
            Node updated = new NodeBuilder(node).withStatus(seen.statusToWrite().get()).build();
            client.nodes().resource(updated).updateStatus();
            health.written(name, seen);
            log.info("node lifecycle: node {} stopped posting status; marked Ready={}", name,
                    seen.currentReady().getStatus());
        }
        if (!Zones.excluded(node)) {
            byZone.computeIfAbsent(Zones.zoneOf(node), z -> new ArrayList<>()).add(seen.currentReady());
        }
        if (seen.currentReady() == null) {
            return;
        }
        processTaintBasedEviction(node, seen.observedReady());
        boolean wasReady = "True".equals(seen.observedReady().getStatus());
        boolean isReady = "True".equals(seen.currentReady().getStatus());
        if (!isReady && wasReady) {
            events.normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
            markPodsNotReady(name);
        } else if (!wasReady && podsToRetry.contains(name)) {
            markPodsNotReady(name);
        } else if (wasReady) {
            podsToRetry.remove(name);
        }
    }

    /** Decides the node's NoExecute taint from the Ready condition the node last posted. */
    private void processTaintBasedEviction(Node node, NodeCondition observedReady) {
        String name = node.getMetadata().getName();
        List<Taint> taints = NodeTaints.of(node);
        switch (observedReady.getStatus()) {
            case "False" -> {
                if (NodeTaints.has(taints, NodeTaints.UNREACHABLE, NodeTaints.NO_EXECUTE)) {
                    editTaints(name, t -> NodeTaints.withNoExecute(t, NodeTaints.NOT_READY, clock.instant()));
                } else {
                    zones.queueForTaint(Zones.zoneOf(node), name);
                }
            }
            case "Unknown" -> {
                if (NodeTaints.has(taints, NodeTaints.NOT_READY, NodeTaints.NO_EXECUTE)) {
                    editTaints(name, t -> NodeTaints.withNoExecute(t, NodeTaints.UNREACHABLE, clock.instant()));
                } else {
                    zones.queueForTaint(Zones.zoneOf(node), name);
                }
            }
            default -> markReachable(name);
        }
    }

    private void markReachable(String name) {
        zones.reachable(name);
        editTaints(name, t -> NodeTaints.withNoExecute(t, null, clock.instant()));
    }

    private void handleDisruption(Map<String, List<NodeCondition>> byZone, List<Node> all, Instant now) {
        Zones.Mode mode = zones.update(byZone, now);
        switch (mode) {
            case ENTERED_FULL_DISRUPTION, IN_FULL_DISRUPTION -> {
                if (mode == Zones.Mode.ENTERED_FULL_DISRUPTION) {
                    log.info("node lifecycle: every node is not Ready; no NoExecute taints until some node recovers");
                }
                for (Node node : all) {
                    try {
                        markReachable(node.getMetadata().getName());
                    } catch (RuntimeException e) {
                        log.warn("node lifecycle: cannot untaint {}: {}", node.getMetadata().getName(), e.toString());
                    }
                }
            }
            case LEFT_FULL_DISRUPTION -> {
                log.info("node lifecycle: some node is Ready again; leaving full disruption mode");
                health.restartClocks(now);
            }
            case NORMAL -> {
            }
        }
    }

    /** Applies the NoExecute taints whose turn came, each matching the node's current Ready condition. */
    private void taintDueNodes(Instant now) {
        for (String name : zones.dueForTaint(now)) {
            Node node = nodes.get(name).orElse(null);
            if (node == null) {
                zones.reachable(name);
                continue;
            }
            String ready = NodeHealth.condition(node.getStatus(), "Ready").map(NodeCondition::getStatus)
                    .orElse("Unknown");
            String key = switch (ready) {
                case "False" -> NodeTaints.NOT_READY;
                case "True" -> null;
                default -> NodeTaints.UNREACHABLE;
            };
            try {
                editTaints(name, t -> NodeTaints.withNoExecute(t, key, clock.instant()));
            } catch (RuntimeException e) {
                log.warn("node lifecycle: cannot taint {}: {}", name, e.toString());
                zones.taintFailed(Zones.zoneOf(node), name);
            }
        }
    }

    // ---- pods

    private void processPod(String podKey) {
        Pod pod = pods.get(podKey).orElse(null);
        if (pod == null || boundTo(pod) == null || nodes.get(boundTo(pod)).isEmpty()) {
            return;
        }
        health.get(boundTo(pod)).map(NodeHealth.Health::savedReady).ifPresent(ready -> {
            if (!"True".equals(ready.getStatus())) {
                markNotReady(pod);
            }
        });
    }

    private void markPodsNotReady(String nodeName) {
        boolean failed = false;
        for (Pod pod : pods.list()) {
            if (!nodeName.equals(boundTo(pod))) {
                continue;
            }
            try {
                markNotReady(pod);
            } catch (RuntimeException e) {
                log.warn("node lifecycle: cannot mark pod {} not ready: {}", Keys.of(pod), e.toString());
                failed = true;
            }
        }
        if (failed) {
            podsToRetry.add(nodeName);
        } else {
            podsToRetry.remove(nodeName);
        }
    }

    /** Sets the pod's Ready condition to False (pods without one are left alone), as upstream does. */
    private void markNotReady(Pod pod) {
        if (PodReadiness.condition(pod, "Ready").map(c -> "False".equals(c.getStatus())).orElse(true)) {
            return;
        }
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        List<PodCondition> conditions = pod.getStatus().getConditions().stream()
                .map(c -> "Ready".equals(c.getType())
                        ? new PodConditionBuilder(c).withStatus("False").withLastTransitionTime(now).build() : c)
                .toList();
        Pod updated = new PodBuilder(pod).editStatus().withConditions(conditions).endStatus().build();
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(updated).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            throw e;
        }
        events.warning(pod, "NodeNotReady", "Node is not ready");
    }

    private static String boundTo(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null || node.isEmpty() ? null : node;
    }

    // ---- writes

    /**
     * Rewrites the node's taints with {@code edit} unless that changes nothing; on a conflict
     * re-reads the node from the server and edits again.
     */
    private void editTaints(String nodeName, UnaryOperator<List<Taint>> edit) {
        for (int attempt = 0; ; attempt++) {
            Node node = attempt == 0 ? nodes.get(nodeName).orElse(null) : client.nodes().withName(nodeName).get();
            if (node == null) {
                return;
            }
            List<Taint> before = NodeTaints.of(node);
            List<Taint> after = edit.apply(before);
            if (sameTaints(before, after)) {
                return;
            }
            try {
                client.nodes().resource(new NodeBuilder(node).editOrNewSpec().withTaints(after).endSpec().build())
                        .update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 4) {
                    throw e;
                }
            }
        }
    }

    private static boolean sameTaints(List<Taint> a, List<Taint> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Taint x = a.get(i);
            Taint y = b.get(i);
            if (!Objects.equals(x.getKey(), y.getKey()) || !Objects.equals(x.getEffect(), y.getEffect())
                    || !Objects.equals(x.getValue(), y.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
