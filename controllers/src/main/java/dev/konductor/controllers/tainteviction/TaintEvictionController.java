package dev.konductor.controllers.tainteviction;

import dev.konductor.client.CoreEvents;
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
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's NoExecute taint manager: a pod on a node with a NoExecute taint it does not
 * tolerate is deleted at once; one that tolerates it for tolerationSeconds is deleted when that
 * runs out (counted from when this controller first saw it tainted), unless the taint goes first.
 */
public final class TaintEvictionController implements Controller {

    public static final String NAME = "taint-eviction-controller";
    static final String REASON = "TaintManagerEviction";

    /** When a pending eviction of each pod was first scheduled. */
    private final Map<String, Instant> scheduled = new ConcurrentHashMap<>();
    private KubernetesClient client;
    private Clock clock;
    private CoreEvents events;
    private Lister<Pod> pods;
    private Lister<Node> nodes;
    private ControllerLoop loop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        clock = context.clock();
        events = context.events(NAME);
        pods = context.informers().lister(Pod.class);
        nodes = context.informers().lister(Node.class);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());
        context.informers().of(Pod.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                // as upstream's taint manager: a pod not bound to a node has no taints to tolerate
                if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
                    loop.enqueue(Keys.of(pod));
                }
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (!Objects.equals(oldPod.getSpec().getNodeName(), newPod.getSpec().getNodeName())
                        || !Objects.equals(oldPod.getSpec().getTolerations(), newPod.getSpec().getTolerations())) {
                    loop.enqueue(Keys.of(newPod));
                }
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                loop.enqueue(Keys.of(pod));
            }
        });
        context.informers().of(Node.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                if (!noExecuteTaints(node).isEmpty()) {
                    enqueuePodsOn(node.getMetadata().getName());
                }
            }

            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                if (!keys(noExecuteTaints(oldNode)).equals(keys(noExecuteTaints(newNode)))) {
                    enqueuePodsOn(newNode.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
            }
        });
        loop.start(context.informers()::synced);
    }

    private void enqueuePodsOn(String nodeName) {
        for (Pod pod : pods.list()) {
            if (nodeName.equals(pod.getSpec().getNodeName())) {
                loop.enqueue(Keys.of(pod));
            }
        }
    }

    /** Looks at the pod {@code key} again now (tests call it after moving their clock). */
    void resync(String key) {
        loop.enqueue(key);
    }

    /** True while the pod {@code key} is due to be evicted once its tolerationSeconds run out. */
    boolean evictionPending(String key) {
        return scheduled.containsKey(key);
    }

    Result reconcile(String key) {
        Pod pod = pods.get(key).orElse(null);
        if (pod == null || PodReadiness.isTerminating(pod)) {
            scheduled.remove(key);
            return Result.done();
        }
        String nodeName = pod.getSpec().getNodeName();
        List<Taint> taints = nodeName == null ? List.of()
                : nodes.get(nodeName).map(TaintEvictionController::noExecuteTaints).orElse(List.of());
        List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
        Instant now = clock.instant();
        switch (Tolerations.judge(tolerations, taints)) {
            case Tolerations.Verdict.Stay stay -> {
                cancel(key, pod);
                return Result.done();
            }
            case Tolerations.Verdict.EvictNow evictNow -> {
                evict(key, pod);
                return Result.done();
            }
            case Tolerations.Verdict.EvictAfter after -> {
                Instant since = scheduled.computeIfAbsent(key, k -> now);
                Instant due = since.plus(after.delay());
                if (due.isAfter(now)) {
                    return Result.after(Duration.between(now, due));
                }
                evict(key, pod);
                return Result.done();
            }
        }
    }

    private void cancel(String key, Pod pod) {
        if (scheduled.remove(key) != null) {
            events.normal(pod, REASON, "Cancelling deletion of Pod " + key);
        }
    }

    /** Marks the pod with a DisruptionTarget condition (as upstream does), then deletes it. */
    private void evict(String key, Pod pod) {
        events.normal(pod, REASON, "Marking for deletion Pod " + key);
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        List<PodCondition> conditions = new ArrayList<>();
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            pod.getStatus().getConditions().stream().filter(c -> !"DisruptionTarget".equals(c.getType()))
                    .forEach(conditions::add);
        }
        conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("DeletionByTaintManager").withMessage("Taint manager: deleting due to NoExecute taint")
                .withLastTransitionTime(now).build());
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(new PodBuilder(pod).editOrNewStatus()
                    .withConditions(conditions).endStatus().build()).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                scheduled.remove(key);
                return;
            }
            if (e.getCode() != 409) {
                throw e;
            }
            // the condition is a courtesy; the deletion is what matters
        }
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        scheduled.remove(key);
    }

    static List<Taint> noExecuteTaints(Node node) {
        if (node.getSpec() == null || node.getSpec().getTaints() == null) {
            return List.of();
        }
        return node.getSpec().getTaints().stream().filter(t -> "NoExecute".equals(t.getEffect())).toList();
    }

    private static List<String> keys(List<Taint> taints) {
        return taints.stream().map(t -> t.getKey() + "=" + t.getValue()).sorted().toList();
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
