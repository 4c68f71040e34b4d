package dev.konductor.controllers.garbagecollector;

import dev.konductor.client.CoreEvents;
import dev.konductor.controllers.framework.ApiDiscovery;
import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's garbage collector over ownerReferences, for every resource type discovery lists
 * (re-discovered periodically, so custom resources that appear later are covered):
 * background deletion of dependents whose owners are all gone, foreground deletion (owners
 * carrying {@code foregroundDeletion} wait for their blocking dependents) and orphaning (owners
 * carrying {@code orphan} release their dependents first). Handlers only queue object keys; the
 * work happens in {@link Collector#reconcile}.
 */
public final class GarbageCollector implements Controller {

    /** How often resource types are re-discovered (upstream: every 30 s). */
    static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    private final Duration resyncPeriod;
    private Monitors monitors;
    private ControllerLoop loop;
    private Thread discovery;

    public GarbageCollector() {
        this(DEFAULT_RESYNC);
    }

    GarbageCollector(Duration resyncPeriod) {
        this.resyncPeriod = resyncPeriod;
    }

    @Override
    public String name() {
        return "garbage-collector-controller";
    }

    @Override
    public void start(ControllerContext context) {
        CoreEvents events = context.events(name());
        monitors = new Monitors(context.client(), new Handlers());
        Collector collector = new Collector(monitors, new ApiGcClient(context.client()), ref -> loop.enqueue(ref.key()),
                (obj, message) -> events.warning(obj, "OwnerRefInvalidNamespace", message));
        loop = new ControllerLoop(name(), key -> collector.reconcile(ObjectRef.parse(key)),
                Math.max(context.settings().workers(), 1) * 4);
        // no cache to wait for: the collector looks an owner up through the API before it deletes a
        // dependent, so a monitor that has not listed yet cannot make it delete anything
        loop.start(() -> true);
        discovery = Thread.ofVirtual().name("gc-discovery").start(() -> discoverForever(context));
    }

    /** Re-discovers resource types every {@link #resyncPeriod} until stopped. */
    private void discoverForever(ControllerContext context) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                monitors.sync(ApiDiscovery.preferredResources(context.client()));
            } catch (RuntimeException e) {
                log.warn("gc: discovery failed, keeping the current monitors: {}", e.toString());
            }
            try {
                Thread.sleep(resyncPeriod);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** True once every monitor has listed at least once. */
    boolean synced() {
        return monitors.synced();
    }

    /** The resource types being watched, as {@code plural.group}. */
    java.util.Set<String> monitored() {
        return monitors.monitored();
    }

    /** Monitor events → keys to look at. */
    private final class Handlers implements Monitors.Listener {

        @Override
        public void added(ApiResource resource, GenericKubernetesResource obj) {
            if (interesting(obj)) {
                enqueue(resource, obj);
            }
        }

        @Override
        public void updated(ApiResource resource, GenericKubernetesResource old, GenericKubernetesResource obj) {
            ObjectMeta before = old.getMetadata();
            ObjectMeta after = obj.getMetadata();
            boolean referencesChanged = !Objects.equals(before.getOwnerReferences(), after.getOwnerReferences());
            boolean deletionChanged = !Objects.equals(before.getDeletionTimestamp(), after.getDeletionTimestamp())
                    || !Objects.equals(before.getFinalizers(), after.getFinalizers());
            if ((referencesChanged || deletionChanged) && interesting(obj)) {
                enqueue(resource, obj);
            }
            if (referencesChanged) {
                // an owner waiting in the foreground may have lost a blocking dependent
                enqueueOwners(old);
            }
        }

        @Override
        public void deleted(ApiResource resource, GenericKubernetesResource obj) {
            for (ObjectGraph.Node dependent : monitors.dependents(obj.getMetadata().getUid())) {
                loop.enqueue(dependent.ref().key());
            }
            enqueueOwners(obj);
        }

        private void enqueue(ApiResource resource, GenericKubernetesResource obj) {
            loop.enqueue(ObjectRef.of(resource, obj.getMetadata().getNamespace(), obj.getMetadata().getName()).key());
        }

        private void enqueueOwners(GenericKubernetesResource obj) {
            List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
            if (refs == null) {
                return;
            }
            for (OwnerReference ref : refs) {
                monitors.resourceForKind(ref.getApiVersion(), ref.getKind()).ifPresent(owner -> loop.enqueue(
                        ObjectRef.of(owner, obj.getMetadata().getNamespace(), ref.getName()).key()));
            }
        }

        /** Has owners to check, or is being deleted with a finalizer the collector serves. */
        private static boolean interesting(GenericKubernetesResource obj) {
            ObjectMeta meta = obj.getMetadata();
            boolean owned = meta.getOwnerReferences() != null && !meta.getOwnerReferences().isEmpty();
            boolean ours = meta.getDeletionTimestamp() != null && (Collector.hasFinalizer(obj, Ownership.ORPHAN)
                    || Collector.hasFinalizer(obj, Ownership.FOREGROUND));
            return owned || ours;
        }
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.interrupt();
        }
        if (loop != null) {
            loop.close();
        }
        if (monitors != null) {
            monitors.close();
        }
    }
}
