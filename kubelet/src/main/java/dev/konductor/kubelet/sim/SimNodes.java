package dev.konductor.kubelet.sim;

import dev.konductor.client.RawRequests;
import dev.konductor.kubelet.metrics.MetricsObjects;
import dev.konductor.kubelet.metrics.MetricsPublisher;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated nodes, like KWOK: registers N nodes, keeps their Leases fresh and their status
 * posted, and "runs" the pods bound to them without any process, all in one process.
 *
 * <p>There is no thread per node and none per pod. One scheduler thread only fires timers
 * (lease renewals, status reports, metrics reports, a pod's next step); every request to the API
 * server runs on one of {@link SimSettings#apiConcurrency()} virtual worker threads, taken from two
 * de-duplicating queues (node work and pod work). One pod informer serves every node: with one
 * node it selects {@code spec.nodeName=<node>}, with more it selects every bound pod and keeps
 * those of its own nodes.
 *
 * <p>Pods go Running (with an IP from their node's pod CIDR) {@link SimSettings#podStartDelay()}
 * after the node first sees them; Job pods, and pods with {@link SimAnnotations#RUN_DURATION},
 * then finish; a pod being deleted is deleted for good (grace period 0) once its grace period is
 * over, waiting at most {@link SimSettings#maxGracePeriod()}. See {@link SimAnnotations} for what
 * a pod can ask for.
 *
 * <p>{@link #close()} cancels everything; the nodes stay registered and stop heartbeating, as a
 * powered-off machine does.
 */
public final class SimNodes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimNodes.class);
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofMinutes(5);
    /** As the client's own request timeout (LocalClients): a status write that takes longer is retried. */

    private final KubernetesClient client;
    private final RawRequests requests;
    private final SimSettings settings;
    private final Clock clock;
    private final AddressPlan plan;
    private final Map<String, SimNode> nodes = new ConcurrentHashMap<>();
    /** The pods this process runs, by namespace/name. */
    private final Map<String, LocalPod> pods = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    private final KeyedWork podWork;
    private final KeyedWork nodeWork;
    private final MetricsPublisher metrics;
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
    private volatile SharedIndexInformer<Pod> informer;
    private volatile boolean closed;

    public SimNodes(KubernetesClient client, SimSettings settings) {
        this(client, settings, Clock.systemUTC());
    }

    SimNodes(KubernetesClient client, SimSettings settings, Clock clock) {
        this.client = client;
        this.requests = new RawRequests(client);
        this.settings = settings;
        this.clock = clock;
        this.plan = new AddressPlan(settings.nodes(), settings.pods());
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("sim-timers").daemon().factory());
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timers = scheduler;
        int nodeWorkers = Math.max(1, settings.apiConcurrency() / 4);
        int podWorkers = Math.max(1, settings.apiConcurrency() - nodeWorkers);
        this.podWork = new KeyedWork("sim-pods", podWorkers, timers, this::syncPod);
        this.nodeWork = new KeyedWork("sim-nodes", nodeWorkers, timers, this::syncNode);
        this.metrics = new MetricsPublisher(client);
    }

    /** The names of the simulated nodes. */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < settings.nodes(); i++) {
            names.add(settings.nodeName(i));
        }
        return names;
    }

    /**
     * Registers the nodes (or takes over existing ones of the same names), each starting its
     * heartbeats as soon as it is registered, then starts the pod informer; returns once every
     * node is registered.
     *
     * @throws IllegalStateException if a node cannot be registered
     */
    public void start() {
        nodeWork.start();
        registerAll();
        informer = podInformer();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueueIfOurs(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                enqueueIfOurs(newPod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                enqueueIfOurs(pod);
            }
        });
        podWork.start();
        informer.start();
        log.info("simulated nodes running nodes={} first={} cpu={} memory={} pods={}", settings.nodes(),
                settings.nodeName(0), settings.cpu(), settings.memory(), settings.pods());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (periodic) {
            periodic.forEach(f -> f.cancel(false));
            periodic.clear();
        }
        timers.shutdownNow();
        if (informer != null) {
            informer.close();
        }
        podWork.close();
        nodeWork.close();
    }

    // ---- nodes ----

    private void registerAll() {
        ExecutorService pool = Executors.newFixedThreadPool(settings.apiConcurrency(), Thread.ofVirtual().factory());
        try {
            List<Future<?>> registrations = new ArrayList<>();
            for (int i = 0; i < settings.nodes(); i++) {
                int index = i;
                // heartbeats start per node: registering 5000 nodes on a busy machine took four
                // minutes, and nodes waiting for the last one lost their Ready condition meanwhile
                registrations.add(pool.submit(() -> schedulePeriodic(register(index))));
            }
            long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
            for (Future<?> f : registrations) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot register simulated nodes: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("simulated nodes not registered within " + REGISTRATION_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering simulated nodes", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private SimNode register(int index) {
        String name = settings.nodeName(index);
        String address = plan.nodeAddress(index);
        Instant now = clock.instant();
        Node desired = NodeObjects.registration(name, address, plan.podCidr(index), settings, now);
        Node registered;
        try {
            registered = client.nodes().resource(desired).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // registered before (an earlier run): keep its spec, post fresh status
            Node existing = client.nodes().withName(name).get();
            NodeStatus status = NodeObjects.status(name, address, settings, now, existing.getStatus());
            registered = postStatus(existing, status);
        }
        SimNode node = new SimNode(index, name, address, registered);
        nodes.put(name, node);
        renewLease(node);
        return node;
    }

    private Node postStatus(Node current, NodeStatus status) {
        Node update = new io.fabric8.kubernetes.api.model.NodeBuilder(current).withStatus(status).build();
        update.getMetadata().setResourceVersion(null);
        return client.nodes().resource(update).updateStatus();
    }

    /** Starts a just registered node's lease renewals, status reports and metrics. */
    private void schedulePeriodic(SimNode node) {
        long leaseMillis = settings.leaseRenewInterval().toMillis();
        long statusMillis = settings.statusReportInterval().toMillis();
        long metricsMillis = settings.metricsInterval().toMillis();
        int n = settings.nodes();
        synchronized (periodic) {
            if (closed) {
                return;
            }
            // spread the nodes over each interval so 1000 of them do not renew in one burst
            long leaseOffset = leaseMillis * node.index / n;
            periodic.add(timers.scheduleAtFixedRate(() -> nodeWork.add("lease/" + node.name),
                    leaseMillis + leaseOffset, leaseMillis, TimeUnit.MILLISECONDS));
            periodic.add(timers.scheduleAtFixedRate(() -> nodeWork.add("status/" + node.name),
                    statusMillis + statusMillis * node.index / n, statusMillis, TimeUnit.MILLISECONDS));
            if (metricsMillis > 0) {
                periodic.add(timers.scheduleAtFixedRate(() -> nodeWork.add("metrics/" + node.name),
                        metricsMillis * node.index / n + Math.min(metricsMillis, 1000), metricsMillis,
                        TimeUnit.MILLISECONDS));
            }
        }
    }

    private void syncNode(String key) {
        if (closed) {
            return;
        }
        int slash = key.indexOf('/');
        SimNode node = nodes.get(key.substring(slash + 1));
        if (node == null) {
            return;
        }
        switch (key.substring(0, slash)) {
            case "lease" -> renewLease(node);
            case "status" -> reportStatus(node);
            case "metrics" -> reportMetrics(node);
            default -> throw new IllegalArgumentException("unknown node work " + key);
        }
    }

    /**
     * Renews the node's Lease, creating it if it is missing (as the kubelet's lease controller):
     * an update of the version last written, or of the server's after a conflict.
     */
    private void renewLease(SimNode node) {
        var leases = client.leases().inNamespace(NodeObjects.LEASE_NAMESPACE);
        for (int attempt = 0; attempt < 3; attempt++) {
            Lease desired = NodeObjects.lease(node.node, clock.instant());
            try {
                if (node.lease == null) {
                    node.lease = leases.withName(node.name).get();
                }
                if (node.lease == null) {
                    node.lease = leases.resource(desired).create();
                    return;
                }
                Lease renewed = new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder(node.lease)
                        .editSpec().withHolderIdentity(node.name)
                        .withLeaseDurationSeconds(NodeObjects.LEASE_DURATION_SECONDS)
                        .withRenewTime(desired.getSpec().getRenewTime()).endSpec().build();
                node.lease = leases.resource(renewed).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw e;
                }
                node.lease = null; // someone else wrote it, or it went: start again from the server's
            }
        }
        throw new IllegalStateException("the Lease of node " + node.name + " keeps changing under us");
    }

    /**
     * Posts the node's status with fresh heartbeats (upstream: every 5 min when nothing changed).
     * A status write changes nothing else, so the node as last written is a good enough base.
     */
    private void reportStatus(SimNode node) {
        Instant now = clock.instant();
        try {
            node.node = postStatus(node.node, NodeObjects.status(node.name, node.address, settings, now,
                    node.node.getStatus()));
            } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            // deleted by someone: register again, as a restarted kubelet would
            register(node.index);
        }
    }

    private void reportMetrics(SimNode node) {
        SharedIndexInformer<Pod> podInformer = informer;
        if (podInformer == null) {
            return;
        }
        Instant now = clock.instant();
        List<Pod> running = new ArrayList<>();
        for (Map.Entry<String, LocalPod> e : pods.entrySet()) {
            if (!e.getValue().node.equals(node.name)) {
                continue;
            }
            Pod pod = podInformer.getIndexer().getByKey(e.getKey());
            if (pod != null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                    && pod.getMetadata().getDeletionTimestamp() == null) {
                running.add(pod);
            }
        }
        for (Pod pod : running) {
            // a pod that went meanwhile must not get its metrics back
            if (pods.containsKey(Cache.metaNamespaceKeyFunc(pod))) {
                metrics.write(MetricsObjects.podMetrics(pod, SimUsage.containers(pod), now, settings.metricsInterval()));
            }
        }
        metrics.write(MetricsObjects.nodeMetrics(node.node, SimUsage.node(running), now, settings.metricsInterval()));
    }

    // ---- pods ----

    private SharedIndexInformer<Pod> podInformer() {
        var all = client.pods().inAnyNamespace();
        if (settings.nodes() == 1) {
            return all.withField("spec.nodeName", settings.nodeName(0)).runnableInformer(0).exceptionHandler((started, error) -> true);
        }
        return all.withoutField("spec.nodeName", "").runnableInformer(0).exceptionHandler((started, error) -> true);
    }

    private void enqueueIfOurs(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node != null && nodes.containsKey(node)) {
            podWork.add(Cache.metaNamespaceKeyFunc(pod));
        }
    }

    private void syncPod(String key) {
        if (closed) {
            return;
        }
        Pod pod = informer.getIndexer().getByKey(key);
        LocalPod local = pods.get(key);
        boolean ours = pod != null && pod.getSpec() != null && nodes.containsKey(pod.getSpec().getNodeName());
        if (local != null && (!ours || !local.uid.equals(pod.getMetadata().getUid()))) {
            forget(key, local);
            local = null;
        }
        if (!ours) {
            return;
        }
        SimNode node = nodes.get(pod.getSpec().getNodeName());
        Instant now = clock.instant();
        if (local == null) {
            local = new LocalPod(pod.getMetadata().getUid(), node.name, now, adoptedAddress(node, pod));
            pods.put(key, local);
        }
        PodLifecycle.Step step = PodLifecycle.next(pod, local.firstSeen, now, settings);
        switch (step) {
            case PodLifecycle.Idle idle -> {
                if (isFinished(pod)) {
                    finished(key, local);
                }
            }
            case PodLifecycle.WaitUntil wait -> podWork.addAfter(key, Duration.between(now, wait.at()));
            case PodLifecycle.Start start -> {
                String address = local.address;
                if (address == null) {
                    address = node.podAddresses.allocate();
                    if (address == null) {
                        throw new IllegalStateException("no free pod IP on node " + node.name);
                    }
                    local = local.withAddress(address);
                    pods.put(key, local);
                }
                String time = NodeObjects.timestamp(now);
                writeStatus(pod, PodStatuses.running(pod, node.address, address, time, start.ready(), time));
            }
            case PodLifecycle.SetReadiness readiness -> {
                String startedAt = pod.getSpec().getContainers().isEmpty() ? null
                        : PodStatuses.runningSince(pod.getStatus(), pod.getSpec().getContainers().getFirst().getName());
                String time = NodeObjects.timestamp(now);
                String address = local.address != null ? local.address : pod.getStatus().getPodIP();
                writeStatus(pod, PodStatuses.running(pod, node.address, address,
                        startedAt != null ? startedAt : time, readiness.ready(), time));
            }
            case PodLifecycle.Finish finish ->
                    writeStatus(pod, PodStatuses.finished(pod, finish.exitCode(), NodeObjects.timestamp(now)));
            case PodLifecycle.Finalize ignored -> finalizePod(pod);
        }
    }

    /** The IP a pod already running on this node (before this process started) has; reserved again. */
    private static String adoptedAddress(SimNode node, Pod pod) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip != null && !isFinished(pod) && node.podAddresses.reserve(ip)) {
            return ip;
        }
        return null;
    }

    private static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /**
     * Writes the pod's status as the kubelet's status manager does, a merge patch of the status
     * alone (not the whole pod: a third of the sim's CPU went on copying and sending the spec),
     * here on the condition that the pod is still the version the status was made from. The
     * answer (the whole pod) is not decoded: the informer brings the pod as written, and decoding
     * each answer was a fifth of the sim's CPU.
     */
    private void writeStatus(Pod cached, io.fabric8.kubernetes.api.model.PodStatus status) {
        var json = client.getKubernetesSerialization();
        String namespace = cached.getMetadata().getNamespace();
        String name = cached.getMetadata().getName();
        String patch = "{\"metadata\":{\"resourceVersion\":" + json.asJson(cached.getMetadata().getResourceVersion())
                + "},\"status\":" + json.asJson(status) + "}";
        int code = requests.send("PATCH", RawRequests.corePath(namespace, "pods", name, "status"),
                RawRequests.MERGE_PATCH, patch).code();
        // 409 or 404: a newer version (or the pod's deletion) is on its way through the informer
        if (code >= 300 && code != 409 && code != 404) {
            throw new KubernetesClientException("cannot write the status of pod " + namespace + "/" + name
                    + ": HTTP " + code, code, null);
        }
    }

    /** The containers have stopped: delete the pod for good, as the kubelet's status manager does. */
    private void finalizePod(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** A finished pod keeps its status but no longer holds an IP or reports metrics. */
    private void finished(String key, LocalPod local) {
        if (local.address == null) {
            return; // done before
        }
        nodes.get(local.node).podAddresses.release(local.address);
        pods.put(key, local.withAddress(null));
        if (settings.metricsInterval().toMillis() > 0) {
            deleteMetrics(key);
        }
    }

    /** The pod is gone (or left this node): free its IP and remove its metrics. */
    private void forget(String key, LocalPod local) {
        pods.remove(key, local);
        SimNode node = nodes.get(local.node);
        if (local.address != null && node != null) {
            node.podAddresses.release(local.address);
        }
        if (settings.metricsInterval().toMillis() > 0) {
            deleteMetrics(key);
        }
    }

    private void deleteMetrics(String key) {
        int slash = key.indexOf('/');
        metrics.deletePodMetrics(key.substring(0, slash), key.substring(slash + 1));
    }

    // ---- state ----

    /** One simulated node; fields written by its work items only (one at a time per key). */
    private final class SimNode {
        final int index;
        final String name;
        final String address;
        final PodAddresses podAddresses;
        volatile Node node;
        volatile Lease lease;

        SimNode(int index, String name, String address, Node node) {
            this.index = index;
            this.name = name;
            this.address = address;
            this.node = node;
            String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
            Ipv4.Cidr parsed = Ipv4.Cidr.parseOrNull(cidr);
            this.podAddresses = new PodAddresses(parsed != null ? parsed : Ipv4.Cidr.parseOrNull(plan.podCidr(index)));
        }
    }

    /** A pod this process runs: which incarnation (uid), where, since when, with which IP. */
    private record LocalPod(String uid, String node, Instant firstSeen, String address) {

        LocalPod withAddress(String newAddress) {
            return new LocalPod(uid, node, firstSeen, newAddress);
        }
    }
}
