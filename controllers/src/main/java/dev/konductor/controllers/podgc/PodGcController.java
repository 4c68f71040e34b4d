package dev.konductor.controllers.podgc;

import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.PodReadiness;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's pod garbage collector, on a timer: force-deletes pods bound to nodes that stay
 * gone for the quarantine period, terminating pods that were never scheduled, terminating pods
 * on out-of-service nodes, and the oldest finished pods beyond the threshold.
 */
public final class PodGcController implements Controller {

    public static final String NAME = "pod-garbage-collector";
    static final String OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";
    private static final String PASS_KEY = "gc";
    private static final Logger log = LoggerFactory.getLogger(PodGcController.class);

    private final PodGcSettings settings;
    /** Nodes pods are bound to but the cache lacks, and since when. */
    private final Map<String, Instant> missingSince = new HashMap<>();
    private KubernetesClient client;
    private Clock clock;
    private Lister<Pod> pods;
    private Lister<Node> nodes;
    private ControllerLoop loop;

    public PodGcController() {
        this(PodGcSettings.defaults());
    }

    public PodGcController(PodGcSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        clock = context.clock();
        pods = context.informers().lister(Pod.class);
        nodes = context.informers().lister(Node.class);
        loop = new ControllerLoop(NAME, key -> gc(), 1);
        loop.start(context.informers()::synced);
        loop.queue().addAfter(PASS_KEY, settings.period());
    }

    /** One collection pass; always schedules the next. */
    Result gc() {
        try {
            Instant now = clock.instant();
            List<Pod> all = pods.list();
            gcTerminated(all);
            gcTerminatingOutOfService(all);
            gcOrphaned(all, now);
            gcUnscheduledTerminating(all);
        } catch (RuntimeException e) {
            log.warn("pod gc pass failed: {}", e.toString());
        }
        return Result.after(settings.period());
    }

    private void gcTerminated(List<Pod> all) {
        if (settings.terminatedPodThreshold() <= 0) {
            return;
        }
        List<Pod> finished = new ArrayList<>(all.stream().filter(PodReadiness::isTerminal).toList());
        int excess = finished.size() - settings.terminatedPodThreshold();
        if (excess <= 0) {
            return;
        }
        // evicted pods go first, then the oldest
        finished.sort(Comparator.comparing((Pod p) -> !"Evicted".equals(p.getStatus().getReason()))
                .thenComparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
        log.info("pod gc: {} finished pods, over the threshold of {}; deleting {}", finished.size(),
                settings.terminatedPodThreshold(), excess);
        for (Pod pod : finished.subList(0, excess)) {
            forceDelete(pod, null);
        }
    }

    private void gcTerminatingOutOfService(List<Pod> all) {
        for (Pod pod : all) {
            String nodeName = pod.getSpec().getNodeName();
            if (!PodReadiness.isTerminating(pod) || nodeName == null || nodeName.isEmpty()) {
                continue;
            }
            nodes.get(nodeName).filter(PodGcController::outOfService)
                    .ifPresent(n -> forceDelete(pod, "PodGC: node is out of service"));
        }
    }

    private static boolean outOfService(Node node) {
        boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean tainted = node.getSpec() != null && node.getSpec().getTaints() != null
                && node.getSpec().getTaints().stream().anyMatch(t -> OUT_OF_SERVICE_TAINT.equals(t.getKey()));
        return !ready && tainted;
    }

    /** Pods bound to nodes that are gone, once the node has stayed gone for the quarantine period. */
    private void gcOrphaned(List<Pod> all, Instant now) {
        Set<String> missing = new HashSet<>();
        for (Pod pod : all) {
            String nodeName = pod.getSpec().getNodeName();
            if (nodeName != null && !nodeName.isEmpty() && nodes.get(nodeName).isEmpty()) {
                missing.add(nodeName);
            }
        }
        missingSince.keySet().retainAll(missing);
        for (String nodeName : missing) {
            Instant since = missingSince.computeIfAbsent(nodeName, n -> now);
            if (now.isBefore(since.plus(settings.quarantine()))) {
                continue;
            }
            // the cache may lag: ask the server before deleting anything
            if (client.nodes().withName(nodeName).get() != null) {
                missingSince.remove(nodeName);
                continue;
            }
            for (Pod pod : all) {
                if (nodeName.equals(pod.getSpec().getNodeName())) {
                    log.info("pod gc: deleting pod {} bound to missing node {}", Keys.of(pod), nodeName);
                    forceDelete(pod, "PodGC: node no longer exists");
                }
            }
            missingSince.remove(nodeName);
        }
    }

    private void gcUnscheduledTerminating(List<Pod> all) {
        for (Pod pod : all) {
            String nodeName = pod.getSpec().getNodeName();
            if (PodReadiness.isTerminating(pod) && (nodeName == null || nodeName.isEmpty())) {
                forceDelete(pod, null);
            }
        }
    }

    /**
     * Marks a running pod Failed with a DisruptionTarget condition saying why (when given), then
     * deletes it without grace: no kubelet is left to finish it.
     */
    private void forceDelete(Pod pod, String disruptionMessage) {
        String namespace = pod.getMetadata().getNamespace();
        try {
            if (disruptionMessage != null && !PodReadiness.isTerminal(pod)) {
                String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
                List<PodCondition> conditions = new ArrayList<>();
                if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
                    pod.getStatus().getConditions().stream().filter(c -> !"DisruptionTarget".equals(c.getType()))
                            .forEach(conditions::add);
                }
                conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                        .withReason("DeletionByPodGC").withMessage(disruptionMessage).withLastTransitionTime(now)
                        .build());
                client.pods().inNamespace(namespace).resource(new PodBuilder(pod).editOrNewStatus().withPhase("Failed")
                        .withConditions(conditions).endStatus().build()).updateStatus();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            log.debug("pod gc: cannot mark {} failed: {}", Keys.of(pod), e.toString());
        }
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
