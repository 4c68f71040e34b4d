package dev.konductor.scheduler;

import dev.konductor.scheduler.cache.SchedulerCache;
import dev.konductor.scheduler.config.SchedulerConfiguration;
import dev.konductor.scheduler.events.EventRecorder;
import dev.konductor.scheduler.framework.Framework;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.PodWriter;
import dev.konductor.scheduler.plugins.InterPodAffinity;
import dev.konductor.scheduler.plugins.PodTopologySpread;
import dev.konductor.scheduler.plugins.volumebinding.VolumeBinding;
import dev.konductor.scheduler.preemption.DefaultPreemption;
import dev.konductor.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler while it leads: informers on pods, nodes and what the plugins need
 * (namespaces, PodDisruptionBudgets, and the Services and controllers behind default topology
 * spreading), their handlers feeding the cache and the queue, the scheduling loop on one
 * thread, and the ticker that flushes the backoff and unschedulable queues.
 */
final class SchedulerRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulerRuntime.class);
    /**
     * Bindings in flight at most. Upstream binds each pod in a goroutine of its own, bounded only by
     * its client's rate limit; with 32 the binders were a closed loop no faster than the clients
     * creating pods, and pods queued for binding under a burst of creates.
     */
    static final int BINDING_PARALLELISM = 128;
    /** Plugins whose verdict may change when a pod is added to or updated on a node. */
    private static final Set<String> AFFECTED_BY_ASSIGNED_PODS = Set.of(InterPodAffinity.NAME, PodTopologySpread.NAME);

    private final KubernetesClient client;
    private final SchedulerConfiguration config;
    private final Clock clock;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<PodDisruptionBudget> budgets;
    private final SchedulingQueue queue;
    private final SchedulerCache cache;
    private final EventRecorder events;
    /** Binding and failure reporting; bounded, as upstream's client rate limit bounds its API calls. */
    private final ExecutorService async = Executors.newFixedThreadPool(BINDING_PARALLELISM,
            Thread.ofVirtual().name("scheduler-binder-", 0).factory());
    private final ScheduleOne scheduleOne;
    private Thread loop;
    private Thread ticker;
    private volatile boolean closed;

    SchedulerRuntime(KubernetesClient client, SchedulerConfiguration config, String identity, Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.pods = informer(Pod.class);
        this.nodes = informer(Node.class);
        this.namespaces = informer(Namespace.class);
        this.budgets = informer(PodDisruptionBudget.class);
        OwnerSelectors owners = new OwnerSelectors(informer(Service.class), informer(ReplicationController.class),
                informer(ReplicaSet.class), informer(StatefulSet.class));
        SharedIndexInformer<PersistentVolumeClaim> claims = informer(PersistentVolumeClaim.class);
        SharedIndexInformer<PersistentVolume> volumes = informer(PersistentVolume.class);
        SharedIndexInformer<StorageClass> classes = informer(StorageClass.class);
        InformerVolumes volumeAccess = new InformerVolumes(client, claims, volumes, classes);
        VolumeBinding volumeBinding = new VolumeBinding(volumeAccess, volumeAccess, VolumeBinding.DEFAULT_BIND_TIMEOUT,
                Duration.ofMillis(200));
        this.queue = new SchedulingQueue(clock, config.podInitialBackoff(), config.podMaxBackoff());
        this.cache = new SchedulerCache(this::namespaceLabels);
        this.events = new EventRecorder(client, config.schedulerName(), config.schedulerName() + "-" + identity, clock);
        PodWriter writer = new ClientPodWriter(client);
        Framework[] framework = new Framework[1];
        DefaultPreemption preemption = new DefaultPreemption(() -> framework[0], queue,
                () -> budgets.getStore().list(), writer, events, clock, config.schedulerName(),
                p -> queue.removeNomination(p.key()));
        framework[0] = DefaultProfile.build(config, writer, owners, preemption, volumeBinding);
        FailureHandler failures = new FailureHandler(queue, key -> pods.getStore().getByKey(key), writer, events,
                clock, async);
        this.scheduleOne = new ScheduleOne(queue, cache, framework[0], failures, events, async,
                config.percentageOfNodesToScore());
        pods.addEventHandler(handler(this::podAdded, this::podUpdated, this::podDeleted));
        nodes.addEventHandler(handler(this::nodeAdded, this::nodeUpdated, this::nodeDeleted));
        // a claim or volume appearing or binding may make a waiting pod schedulable
        claims.addEventHandler(handler(c -> volumesChanged(), (o, c) -> volumesChanged(), c -> { }));
        volumes.addEventHandler(handler(v -> volumesChanged(), (o, v) -> volumesChanged(), v -> volumesChanged()));
        classes.addEventHandler(handler(c -> volumesChanged(), (o, c) -> volumesChanged(), c -> { }));
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
        SharedIndexInformer<T> informer = client.resources(type).inAnyNamespace().runnableInformer(0).exceptionHandler((started, error) -> true);
        informers.add(informer);
        return informer;
    }

    /** Starts the informers, waits for them to list (up to 30 s), then starts scheduling. */
    void start() {
        informers.forEach(SharedIndexInformer::start);
        long deadline = System.currentTimeMillis() + 30_000;
        for (SharedIndexInformer<?> informer : informers) {
            try {
                informer.start().toCompletableFuture().get(Math.max(1, deadline - System.currentTimeMillis()),
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.warn("informer {} has not synced yet: {}", informer.getApiTypeClass().getSimpleName(), e.toString());
            }
        }
        loop = Thread.ofPlatform().name("scheduler-loop").daemon().start(this::schedule);
        ticker = Thread.ofVirtual().name("scheduler-queue-ticker").start(this::tick);
        log.info("scheduler started name={} nodes={} pods={}", config.schedulerName(), cache.nodeCount(),
                cache.podCount());
    }

    private void schedule() {
        try {
            while (!closed && scheduleOne.next()) {
                // one pod per iteration
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        long ticks = 0;
        try {
            while (!closed) {
                Thread.sleep(1000);
                queue.flushBackoffCompleted();
                if (++ticks % 30 == 0) {
                    queue.flushUnschedulableLeftover();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private Map<String, String> namespaceLabels(String name) {
        Namespace ns = namespaces.getStore().getByKey(name);
        return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
    }

    // ---- event handlers: they only update the cache and the queue ----

    private boolean responsibleFor(Pod pod) {
        String name = pod.getSpec().getSchedulerName();
        return name == null || name.isEmpty() || name.equals(config.schedulerName());
    }

    private static boolean assigned(Pod pod) {
        return pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    private static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private void podAdded(Pod pod) {
        if (assigned(pod)) {
            if (!terminal(pod)) {
                cache.addPod(PodInfo.of(pod));
                queue.moveAll(p -> !java.util.Collections.disjoint(p.unschedulablePlugins(), AFFECTED_BY_ASSIGNED_PODS));
            }
        } else if (responsibleFor(pod) && !terminal(pod)) {
            queue.add(PodInfo.of(pod));
        }
    }

    private void podUpdated(Pod old, Pod pod) {
        if (assigned(pod)) {
            if (!assigned(old)) {
                queue.delete(key(pod));
            }
            if (terminal(pod)) {
                cache.removePod(uid(pod));
                queue.moveAll(p -> true);
            } else {
                cache.updatePod(PodInfo.of(pod));
                if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels()) || !assigned(old)) {
                    queue.moveAll(p -> !java.util.Collections.disjoint(p.unschedulablePlugins(),
                            AFFECTED_BY_ASSIGNED_PODS));
                }
            }
        } else if (responsibleFor(pod)) {
            if (terminal(pod)) {
                queue.delete(key(pod));
            } else {
                queue.update(PodInfo.of(pod));
            }
        } else {
            queue.delete(key(pod));
        }
    }

    private void podDeleted(Pod pod) {
        if (assigned(pod)) {
            cache.removePod(uid(pod));
            queue.moveAll(p -> true);
        } else {
            queue.delete(key(pod));
        }
    }

    private static String uid(Pod pod) {
        return PodInfo.of(pod).uid();
    }

    private void volumesChanged() {
        queue.moveAll(p -> p.unschedulablePlugins().contains(VolumeBinding.NAME));
    }

    private void nodeAdded(Node node) {
        cache.addNode(node);
        queue.moveAll(p -> true);
    }

    private void nodeUpdated(Node old, Node node) {
        cache.updateNode(node);
        if (schedulingRelevantChange(old, node)) {
            queue.moveAll(p -> true);
        }
    }

    private void nodeDeleted(Node node) {
        cache.removeNode(node);
    }

    /** Upstream moves pods only for node changes that may affect them, not for heartbeats. */
    static boolean schedulingRelevantChange(Node old, Node node) {
        return NodeInfo.unschedulable(old) != NodeInfo.unschedulable(node)
                || !Objects.equals(NodeInfo.taints(old), NodeInfo.taints(node))
                || !Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels())
                || !Objects.equals(old.getStatus() == null ? null : old.getStatus().getAllocatable(),
                        node.getStatus() == null ? null : node.getStatus().getAllocatable());
    }

    private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> add,
                                                       java.util.function.BiConsumer<T, T> update,
                                                       java.util.function.Consumer<T> delete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                run(() -> add.accept(obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                run(() -> update.accept(oldObj, newObj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                run(() -> delete.accept(obj));
            }

            private void run(Runnable r) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.error("scheduler event handler failed", e);
                }
            }
        };
    }

    SchedulingQueue queue() {
        return queue;
    }

    SchedulerCache cache() {
        return cache;
    }

    @Override
    public void close() {
        closed = true;
        queue.close();
        if (ticker != null) {
            ticker.interrupt();
        }
        if (loop != null) {
            try {
                loop.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        informers.forEach(SharedIndexInformer::close);
        async.shutdown();
        events.close();
    }
}
