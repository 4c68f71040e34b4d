package dev.konductor.controllers.disruption;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.framework.Reconciler.Result;
import dev.konductor.controllers.framework.Selectors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's disruption controller: keeps each PodDisruptionBudget's status (healthy, desired
 * and expected pod counts, how many disruptions are allowed, the DisruptionAllowed condition)
 * current, which is what the eviction API consults before letting a pod go.
 */
public final class DisruptionController implements Controller {

    public static final String NAME = "disruption-controller";

    private KubernetesClient client;
    private Clock clock;
    private CoreEvents events;
    private Lister<PodDisruptionBudget> budgets;
    private Lister<Pod> pods;
    private Lister<ReplicaSet> replicaSets;
    private Lister<Deployment> deployments;
    private Lister<StatefulSet> statefulSets;
    private Lister<ReplicationController> replicationControllers;
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
        budgets = context.informers().lister(PodDisruptionBudget.class);
        pods = context.informers().lister(Pod.class);
        replicaSets = context.informers().lister(ReplicaSet.class);
        deployments = context.informers().lister(Deployment.class);
        statefulSets = context.informers().lister(StatefulSet.class);
        replicationControllers = context.informers().lister(ReplicationController.class);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());
        context.informers().of(PodDisruptionBudget.class).addEventHandler(new Enqueuer<>(b -> loop.enqueue(Keys.of(b))));
        context.informers().of(Pod.class).addEventHandler(new Enqueuer<>(this::enqueueBudgetsOf));
        loop.start(context.informers()::synced);
    }

    private void enqueueBudgetsOf(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        for (PodDisruptionBudget pdb : budgets.list(pod.getMetadata().getNamespace())) {
            if (Selectors.matches(pdb.getSpec().getSelector(), labels)) {
                loop.enqueue(Keys.of(pdb));
            }
        }
    }

    Result reconcile(String key) {
        Optional<PodDisruptionBudget> found = budgets.get(key);
        if (found.isEmpty()) {
            return Result.done();
        }
        PodDisruptionBudget pdb = found.get();
        Instant now = clock.instant();
        List<Pod> selected = pods.list(pdb.getMetadata().getNamespace(), pdb.getSpec().getSelector());
        if (selected.isEmpty()) {
            events.normal(pdb, "NoPods", "No matching pods found");
        }
        ExpectedPods expected;
        try {
            expected = ExpectedPods.of(pdb, selected, this::scaleOf);
        } catch (ExpectedPods.ExpectedCountException e) {
            events.warning(pdb, "CalculateExpectedPodCountFailed",
                    "Failed to calculate the number of expected pods: " + e.getMessage());
            writeStatus(pdb, BudgetStatus.failSafe(pdb, e.getMessage(), now));
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!expected.unmanagedPods().isEmpty()) {
            events.warning(pdb, "UnmanagedPods", "Pods selected by this PodDisruptionBudget (selector: "
                    + selectorText(pdb.getSpec().getSelector()) + ") were found to be unmanaged. As a result, "
                    + "the status of the PDB cannot be calculated correctly, which may result in undefined behavior. "
                    + "To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.");
        }
        BudgetStatus computed = BudgetStatus.of(pdb, selected, expected, now);
        if (!BudgetStatus.same(pdb.getStatus(), computed.status())) {
            writeStatus(pdb, computed.status());
        }
        return computed.recheck().map(at -> Result.after(Duration.between(now, at).plusMillis(10)))
                .orElse(Result.done());
    }

    private void writeStatus(PodDisruptionBudget pdb, PodDisruptionBudgetStatus status) {
        client.resource(new PodDisruptionBudgetBuilder(pdb).withStatus(status).build()).updateStatus();
    }

    /** The scale of a pod's controller, as upstream's finders look for it. */
    private Optional<ExpectedPods.ControllerScale> scaleOf(String namespace, OwnerReference ref) {
        String group = ref.getApiVersion() == null || !ref.getApiVersion().contains("/") ? ""
                : ref.getApiVersion().substring(0, ref.getApiVersion().indexOf('/'));
        switch (group + "/" + ref.getKind()) {
            case "apps/ReplicaSet" -> {
                Optional<ReplicaSet> rs = owned(replicaSets, namespace, ref);
                if (rs.isEmpty()) {
                    return Optional.empty();
                }
                Optional<OwnerReference> deploymentRef = OwnerRefs.controllerOf(rs.get())
                        .filter(r -> "Deployment".equals(r.getKind()));
                if (deploymentRef.isPresent()) {
                    return owned(deployments, namespace, deploymentRef.get()).map(d -> scale(d,
                            d.getSpec().getReplicas()));
                }
                return rs.map(r -> scale(r, r.getSpec().getReplicas()));
            }
            case "/ReplicationController" -> {
                return owned(replicationControllers, namespace, ref).map(r -> scale(r, r.getSpec().getReplicas()));
            }
            case "apps/StatefulSet" -> {
                return owned(statefulSets, namespace, ref).map(s -> scale(s, s.getSpec().getReplicas()));
            }
            default -> {
                return scaleSubresource(namespace, ref);
            }
        }
    }

    /** Any other controller: its scale subresource, if its kind has one. */
    private Optional<ExpectedPods.ControllerScale> scaleSubresource(String namespace, OwnerReference ref) {
        try {
            Scale scale = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind()).inNamespace(namespace)
                    .withName(ref.getName()).scale();
            if (scale == null || (scale.getMetadata().getUid() != null
                    && !scale.getMetadata().getUid().equals(ref.getUid()))) {
                return Optional.empty();
            }
            Integer replicas = scale.getSpec() == null ? null : scale.getSpec().getReplicas();
            return Optional.of(new ExpectedPods.ControllerScale(ref.getUid(), replicas == null ? 0 : replicas));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IllegalArgumentException e) {
            // a kind the server does not serve
            return Optional.empty();
        }
    }

    /** A selector as upstream prints one: {@code app=web,tier in (a,b)}. */
    static String selectorText(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) {
            return "<none>";
        }
        List<String> parts = new java.util.ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
        }
        if (selector.getMatchExpressions() != null) {
            for (var r : selector.getMatchExpressions()) {
                String values = r.getValues() == null ? "" : String.join(",", r.getValues().stream().sorted().toList());
                parts.add(switch (r.getOperator()) {
                    case "In" -> r.getKey() + " in (" + values + ")";
                    case "NotIn" -> r.getKey() + " notin (" + values + ")";
                    case "Exists" -> r.getKey();
                    case "DoesNotExist" -> "!" + r.getKey();
                    default -> r.getKey() + " " + r.getOperator();
                });
            }
        }
        return parts.isEmpty() ? "<none>" : String.join(",", parts);
    }

    private static <T extends HasMetadata> Optional<T> owned(Lister<T> lister, String namespace, OwnerReference ref) {
        return lister.get(namespace, ref.getName()).filter(o -> ref.getUid().equals(o.getMetadata().getUid()));
    }

    private static ExpectedPods.ControllerScale scale(HasMetadata controller, Integer replicas) {
        return new ExpectedPods.ControllerScale(controller.getMetadata().getUid(), replicas == null ? 1 : replicas);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** Enqueues on every add, update and delete. */
    private record Enqueuer<T>(java.util.function.Consumer<T> enqueue) implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {
            enqueue.accept(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            enqueue.accept(oldObj);
            enqueue.accept(newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            enqueue.accept(obj);
        }
    }
}
