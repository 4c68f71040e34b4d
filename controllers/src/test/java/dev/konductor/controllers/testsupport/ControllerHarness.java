package dev.konductor.controllers.testsupport;

import dev.konductor.controllers.ControllerManager;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerSettings;
import dev.konductor.controllers.serviceaccount.ServiceAccountsController;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real API server with the given controllers running against it, and a stand-in for the
 * kubelet: no scheduler or kubelet runs, so tests make pods Running and Ready themselves.
 */
public final class ControllerHarness implements AutoCloseable {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final LocalApiServer api;
    private final Clock clock;
    private final KubernetesClient client;
    private final ControllerManager manager;
    private final Map<String, Predicate<Pod>> kubelet = new ConcurrentHashMap<>();
    private final Thread kubeletThread;

    /**
     * Runs {@code controllers} and the serviceaccount controller, which every cluster runs: without
     * the {@code default} account of a namespace, its pods are refused.
     */
    public ControllerHarness(Supplier<List<Controller>> controllers) {
        this(controllers, Clock.systemUTC());
    }

    /**
     * Controllers that read {@code clock}, which also stamps the Ready transitions this harness
     * writes, so a test can move the time that counts for minReadySeconds by hand.
     */
    public ControllerHarness(Supplier<List<Controller>> controllers, Clock clock) {
        this.api = LocalApiServer.start();
        this.clock = clock;
        this.client = api.client();
        Supplier<List<Controller>> withAccounts = () -> {
            List<Controller> all = new ArrayList<>(controllers.get());
            if (all.stream().noneMatch(c -> c instanceof ServiceAccountsController)) {
                all.add(new ServiceAccountsController());
            }
            return all;
        };
        this.manager = new ControllerManager(api.client(), "test", withAccounts,
                ControllerSettings.defaults().withServiceAccountKey(api.serviceAccountKey()), clock);
        manager.startWithoutElection();
        this.kubeletThread = Thread.ofVirtual().name("fake-kubelet").start(this::runKubelet);
    }

    /**
     * From now on, pods in {@code namespace} that {@code which} accepts become Running and Ready
     * shortly after they appear, as if a kubelet ran them.
     */
    public void runPods(String namespace, Predicate<Pod> which) {
        kubelet.put(namespace, which);
    }

    private void runKubelet() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                kubelet.forEach(this::markReady);
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // server closing or a transient failure: try again
            }
        }
    }

    public KubernetesClient client() {
        return client;
    }

    /** A fresh namespace for one test, with its default ServiceAccount (as upstream's e2e framework waits for). */
    public String namespace(String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        Await.until("the default service account of " + name,
                () -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
        return name;
    }

    /** The API server the controllers run against. */
    public LocalApiServer api() {
        return api;
    }

    /** Marks every active pod in {@code namespace} that {@code which} accepts Running and Ready. */
    public int markReady(String namespace, Predicate<Pod> which) {
        int marked = 0;
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null
                    && pod.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (ready || pod.getMetadata().getDeletionTimestamp() != null || !which.test(pod)) {
                continue;
            }
            String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
            Pod updated = new PodBuilder(pod).editOrNewStatus().withPhase("Running")
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
                            .withLastTransitionTime(now).build())
                    .endStatus().build();
            try {
                client.pods().inNamespace(namespace).resource(updated).updateStatus();
                marked++;
            } catch (RuntimeException e) {
                // changed meanwhile: the next poll marks it
            }
        }
        return marked;
    }

    public int markReady(String namespace) {
        return markReady(namespace, p -> true);
    }

    /** Pods in {@code namespace} not being deleted. */
    public List<Pod> livePods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    public List<Event> events(String namespace, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    @Override
    public void close() {
        kubeletThread.interrupt();
        manager.close();
        api.close();
    }
}
