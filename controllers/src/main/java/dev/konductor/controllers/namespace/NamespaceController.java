package dev.konductor.controllers.namespace;

import dev.konductor.client.RawRequests;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Handlers;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Namespace termination, as upstream's namespace controller: once a namespace carries a
 * deletionTimestamp (the API server has set phase Terminating), delete everything in it across
 * every namespaced resource type, keep the deletion conditions in its status, wait for graceful
 * deletions and finalizers, then remove the {@code kubernetes} finalizer through
 * {@code PUT /api/v1/namespaces/NAME/finalize}, after which the API server removes the namespace.
 */
public final class NamespaceController implements Controller {

    static final String FINALIZER = "kubernetes";
    /**
     * Upstream looks again after half the estimate (a pod's 30 s grace period: 16 s); pods usually
     * go much sooner, so we look at least this often.
     */
    static final Duration MAX_RECHECK = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(NamespaceController.class);

    private KubernetesClient client;
    private RawRequests raw;
    private NamespaceDeleter deleter;
    private Clock clock;
    private ControllerLoop loop;

    @Override
    public String name() {
        return "namespace-controller";
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        raw = new RawRequests(client);
        deleter = new NamespaceDeleter(new ApiNamespaceContent(client));
        clock = context.clock();
        loop = new ControllerLoop(name(), this::reconcile, context.settings().workers());
        context.informers().of(Namespace.class).addEventHandler(
                Handlers.onAddOrUpdate((Namespace x) -> enqueueIfDeleting(x)));
        loop.start(context.informers()::synced);
    }

    private void enqueueIfDeleting(Namespace ns) {
        if (ns.getMetadata().getDeletionTimestamp() != null) {
            loop.enqueue(ns.getMetadata().getName());
        }
    }

    /** One pass over a terminating namespace; reads it live, as upstream does, not from the cache. */
    Result reconcile(String name) {
        Namespace ns = client.namespaces().withName(name).get();
        if (ns == null || ns.getMetadata().getDeletionTimestamp() == null || !hasFinalizer(ns)) {
            return Result.done();
        }
        if (ns.getStatus() == null || !"Terminating".equals(ns.getStatus().getPhase())) {
            Namespace terminating = new NamespaceBuilder(ns).editOrNewStatus().withPhase("Terminating").endStatus().build();
            ns = client.namespaces().resource(terminating).updateStatus();
        }
        Instant now = clock.instant();
        Instant deletedAt = Instant.parse(ns.getMetadata().getDeletionTimestamp());
        NamespaceDeleter.Outcome outcome = deleter.deleteAllContent(name, deletedAt, now);
        updateConditions(ns, outcome, now);
        if (!outcome.errors().isEmpty()) {
            throw new IllegalStateException("namespace " + name + " is not empty yet: "
                    + String.join("; ", outcome.errors()));
        }
        if (outcome.estimateSeconds() > 0) {
            Duration upstream = Duration.ofSeconds(outcome.estimateSeconds() / 2 + 1);
            log.debug("namespace {}: content still going away, estimate {} s", name, outcome.estimateSeconds());
            return Result.after(upstream.compareTo(MAX_RECHECK) < 0 ? upstream : MAX_RECHECK);
        }
        finalizeNamespace(name);
        return Result.done();
    }

    private void updateConditions(Namespace ns, NamespaceDeleter.Outcome outcome, Instant now) {
        List<NamespaceCondition> merged = DeletionConditions.merge(ns.getStatus().getConditions(),
                DeletionConditions.wanted(outcome.findings(), now), now);
        if (merged == null) {
            return;
        }
        Namespace updated = new NamespaceBuilder(ns).editStatus().withConditions(merged).endStatus().build();
        try {
            client.namespaces().resource(updated).updateStatus();
        } catch (KubernetesClientException e) {
            // as upstream: a lost status update is logged, the next pass writes it again
            log.debug("namespace {}: cannot update conditions: {}", ns.getMetadata().getName(), e.getMessage());
        }
    }

    /** Removes our finalizer from spec.finalizers; the API server deletes the namespace once none remain. */
    private void finalizeNamespace(String name) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Namespace ns = client.namespaces().withName(name).get();
            if (ns == null || !hasFinalizer(ns)) {
                return;
            }
            List<String> finalizers = new ArrayList<>(ns.getSpec().getFinalizers());
            finalizers.remove(FINALIZER);
            Namespace finalized = new NamespaceBuilder(ns).editSpec().withFinalizers(finalizers).endSpec().build();
            RawRequests.Response response = raw.send("PUT", "/api/v1/namespaces/" + name + "/finalize",
                    client.getKubernetesSerialization().asJson(finalized));
            if (response.ok() || response.code() == 404) {
                log.info("namespace {}: content deleted, finalized", name);
                return;
            }
            if (response.code() != 409) {
                throw ApiNamespaceContent.failure(response);
            }
        }
        throw new IllegalStateException("namespace " + name + ": finalize kept conflicting");
    }

    static boolean hasFinalizer(Namespace ns) {
        return ns.getSpec() != null && ns.getSpec().getFinalizers() != null
                && ns.getSpec().getFinalizers().contains(FINALIZER);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
