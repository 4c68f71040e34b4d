package dev.konductor.controllers.nodeipam;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Handlers;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's node IPAM controller with the range allocator: gives every Node without one a
 * {@code spec.podCIDR} / {@code spec.podCIDRs} from the cluster CIDR (one range per family),
 * never the same range to two nodes, and takes the range back when the node is deleted. A node
 * that already has ranges keeps them: those inside the cluster CIDR are marked taken, those
 * outside (simulated nodes pick their own from 198.18.0.0/15) are left alone.
 *
 * <p>Before handing out anything it waits for the node cache to be complete and marks every
 * existing node's ranges taken, as upstream does at start-up; otherwise a range in use by a
 * node not yet listed could be given away. When the cluster CIDR is full the node gets a
 * {@code CIDRNotAvailable} event and is retried with backoff (and again whenever a range is
 * freed); when the write is refused, {@code CIDRAssignmentFailed}.
 */
public final class NodeIpamController implements Controller {

    public static final String NAME = "node-ipam-controller";
    /** Upstream's event source for the allocator's events. */
    static final String EVENT_SOURCE = "cidrAllocator";
    static final String CIDR_NOT_AVAILABLE = "CIDRNotAvailable";
    static final String CIDR_ASSIGNMENT_FAILED = "CIDRAssignmentFailed";
    static final Duration NOT_SYNCED_RETRY = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(NodeIpamController.class);

    /** How the controller writes a node's ranges; the real one patches through the client. */
    @FunctionalInterface
    interface CidrWriter {
        void write(String node, List<String> cidrs);
    }

    /** How the controller records events on nodes; the real one is an {@link CoreEvents}. */
    @FunctionalInterface
    interface NodeEvents {
        void record(Node node, String type, String reason, String message);
    }

    private final NodeIpamSettings settings;
    private RangeAllocator allocator;
    private Lister<Node> nodes;
    private BooleanSupplier synced;
    private CidrWriter writer;
    private NodeEvents events;
    private Consumer<String> enqueue;
    private volatile boolean primed;
    private ControllerLoop loop;

    public NodeIpamController() {
        this(NodeIpamSettings.defaults());
    }

    public NodeIpamController(NodeIpamSettings settings) {
        this.settings = settings;
    }

    /** For tests: a controller over the given cache, writer and event sink, without a loop. */
    NodeIpamController(NodeIpamSettings settings, Lister<Node> nodes, BooleanSupplier synced, CidrWriter writer,
                       NodeEvents events, Consumer<String> enqueue) {
        this.settings = settings;
        wire(nodes, synced, writer, events, enqueue);
    }

    private void wire(Lister<Node> nodes, BooleanSupplier synced, CidrWriter writer, NodeEvents events,
                      Consumer<String> enqueue) {
        this.allocator = new RangeAllocator(settings.newSets());
        this.nodes = nodes;
        this.synced = synced;
        this.writer = writer;
        this.events = events;
        this.enqueue = enqueue;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        KubernetesClient client = context.client();
        SharedIndexInformer<Node> informer = context.informers().of(Node.class);
        CoreEvents recorder = context.events(EVENT_SOURCE);
        loop = new ControllerLoop(NAME, this::reconcile, context.settings().workers());
        wire(context.informers().lister(Node.class), informer::hasSynced, (node, cidrs) -> patch(client, node, cidrs),
                recorder::record, loop::enqueue);
        informer.addEventHandler(Handlers.onChange((Node x) -> loop.enqueue(x.getMetadata().getName())));
        loop.start(context.informers()::synced);
        log.info("node IPAM: allocating pod CIDRs clusterCidrs={} nodeMaskIPv4=/{} nodeMaskIPv6=/{}",
                settings.clusterCidrs(), settings.nodeCidrMaskSizeIpv4(), settings.nodeCidrMaskSizeIpv6());
    }

    /** Brings node {@code name}'s pod CIDRs to the state described in the class comment. */
    Result reconcile(String name) {
        if (!synced.getAsBoolean()) {
            return Result.after(NOT_SYNCED_RETRY);
        }
        primeOnce();
        Optional<Node> found = nodes.get(name);
        if (found.isEmpty()) {
            if (allocator.release(name)) {
                log.info("node IPAM: released the pod CIDRs of deleted node node={} usage={}", name, allocator.usage());
                retryWaitingNodes();
            }
            return Result.done();
        }
        Node node = found.get();
        List<String> current = podCidrs(node);
        if (!current.isEmpty()) {
            observe(node, current);
            return Result.done();
        }
        return switch (allocator.assign(name, node.getMetadata().getUid())) {
            case RangeAllocator.Exhausted exhausted -> {
                recordStatusChange(node, CIDR_NOT_AVAILABLE);
                throw new IllegalStateException("failed to allocate a pod CIDR for node " + name + ": cluster CIDR "
                        + exhausted.cluster() + " is full");
            }
            case RangeAllocator.Assigned assigned -> {
                write(node, assigned.cidrs(), assigned.fresh());
                yield Result.done();
            }
        };
    }

    /** Marks the ranges of every cached node taken, once, before the first range is handed out. */
    private void primeOnce() {
        if (primed) {
            return;
        }
        synchronized (this) {
            if (primed) {
                return;
            }
            for (Node node : nodes.list()) {
                List<String> cidrs = podCidrs(node);
                if (!cidrs.isEmpty()) {
                    observe(node, cidrs);
                }
            }
            primed = true;
            log.info("node IPAM: existing pod CIDRs marked taken usage={}", allocator.usage());
        }
    }

    private void observe(Node node, List<String> cidrs) {
        String name = node.getMetadata().getName();
        List<Cidr> parsed = new ArrayList<>();
        for (String text : cidrs) {
            Cidr.parse(text).ifPresentOrElse(parsed::add,
                    () -> log.warn("node IPAM: node has a pod CIDR that is not a CIDR node={} podCIDR={}", name, text));
        }
        List<Cidr> outside = allocator.observe(name, node.getMetadata().getUid(), parsed);
        if (!outside.isEmpty()) {
            log.debug("node IPAM: leaving pod CIDRs outside the cluster CIDR alone node={} podCIDRs={}", name, outside);
        }
    }

    private void write(Node node, List<Cidr> cidrs, boolean fresh) {
        String name = node.getMetadata().getName();
        List<String> values = cidrs.stream().map(Cidr::toString).toList();
        try {
            writer.write(name, values);
            if (fresh) {
                log.info("node IPAM: set node pod CIDRs node={} podCIDRs={}", name, values);
            } else {
                log.debug("node IPAM: wrote node pod CIDRs again (cache behind) node={} podCIDRs={}", name, values);
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                allocator.abandon(name, cidrs); // deleted meanwhile; its delete event follows
                return;
            }
            recordStatusChange(node, CIDR_ASSIGNMENT_FAILED);
            // When the outcome is unknown (a timeout, a 5xx) the ranges stay with this node, so the
            // retry writes the same ones; when the server said no, they go back to the pool.
            if (definitelyRefused(e)) {
                allocator.abandon(name, cidrs);
            }
            throw e;
        }
    }

    private static boolean definitelyRefused(KubernetesClientException e) {
        return e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 408 && e.getCode() != 429;
    }

    /** Upstream records these as a Normal event "Node X status is now: REASON". */
    private void recordStatusChange(Node node, String reason) {
        events.record(node, CoreEvents.NORMAL, reason,
                "Node " + node.getMetadata().getName() + " status is now: " + reason);
    }

    /** A range was freed: nodes waiting for one try again now rather than after their backoff. */
    private void retryWaitingNodes() {
        for (Node node : nodes.list()) {
            if (podCidrs(node).isEmpty()) {
                enqueue.accept(node.getMetadata().getName());
            }
        }
    }

    /** The node's ranges: {@code spec.podCIDRs}, or the older single {@code spec.podCIDR}. */
    static List<String> podCidrs(Node node) {
        if (node.getSpec() == null) {
            return List.of();
        }
        List<String> cidrs = node.getSpec().getPodCIDRs();
        if (cidrs != null && !cidrs.isEmpty()) {
            return cidrs;
        }
        String single = node.getSpec().getPodCIDR();
        return single == null || single.isEmpty() ? List.of() : List.of(single);
    }

    /** Writes both fields with a merge patch, as upstream's PatchNodeCIDRs does. */
    private static void patch(KubernetesClient client, String node, List<String> cidrs) {
        StringBuilder list = new StringBuilder();
        for (String cidr : cidrs) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(cidr).append('"');
        }
        String body = "{\"spec\":{\"podCIDR\":\"" + cidrs.getFirst() + "\",\"podCIDRs\":[" + list + "]}}";
        client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), body);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
