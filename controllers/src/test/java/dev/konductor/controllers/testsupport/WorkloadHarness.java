package dev.konductor.controllers.testsupport;

import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.framework.Informers;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One controller running against a real API server on loopback, plus the parts of a scheduler
 * and kubelet a workload test needs (no scheduler or kubelet runs here): bind a pod, mark it
 * Running and Ready, finish it, delete it for good.
 */
public final class WorkloadHarness implements AutoCloseable {

    private final LocalApiServer api;
    private final Informers informers;
    private final ControllerContext context;
    private final Controller controller;

    public WorkloadHarness(Controller controller) {
        this.api = LocalApiServer.start();
        this.informers = new Informers(api.client());
        this.context = new ControllerContext(api.client(), informers, Clock.systemUTC(), ControllerSettings.defaults());
        this.controller = controller;
        controller.start(context);
        try {
            informers.startAll(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public KubernetesClient client() {
        return api.client();
    }

    public Node createNode(String name, Map<String, String> labels) {
        return client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
    }

    public List<Pod> pods(String namespace) {
        return client().pods().inNamespace(namespace).list().getItems();
    }

    /** What the scheduler does: POST pods/NAME/binding. */
    public void bind(Pod pod, String node) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        client().raw(api.url() + "/api/v1/namespaces/" + ns + "/pods/" + name + "/binding", "POST",
                Map.of("apiVersion", "v1", "kind", "Binding", "metadata", Map.of("name", name, "namespace", ns),
                        "target", Map.of("apiVersion", "v1", "kind", "Node", "name", node)));
    }

    /** What the kubelet does once the containers run and pass their readiness probes. */
    public void markRunningAndReady(Pod pod) {
        setPhase(pod, "Running", true);
    }

    public void setPhase(Pod pod, String phase, boolean ready) {
        Pod current = client().pods().inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).get();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<PodCondition> conditions = new ArrayList<>();
        if (current.getStatus().getConditions() != null) {
            current.getStatus().getConditions().stream().filter(c -> !"Ready".equals(c.getType()))
                    .forEach(conditions::add);
        }
        conditions.add(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(now).build());
        Pod updated = new PodBuilder(current).editStatus().withPhase(phase).withConditions(conditions).endStatus()
                .build();
        client().pods().inNamespace(pod.getMetadata().getNamespace()).resource(updated).updateStatus();
    }

    /** Deletes a pod at once, as a kubelet confirming termination would (grace period 0). */
    public void deleteNow(Pod pod) {
        client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withGracePeriod(0).delete();
    }

    public List<Event> events(String namespace, String reason) {
        return client().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    @Override
    public void close() {
        controller.close();
        context.close();
        informers.close();
        api.close();
    }
}
