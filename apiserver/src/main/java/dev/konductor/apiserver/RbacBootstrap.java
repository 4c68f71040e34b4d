package dev.konductor.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.RandomIds;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.authz.bootstrap.BootstrapPolicy;
import dev.konductor.apiserver.authz.bootstrap.PolicyReconciliation;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's {@code rbac/bootstrap-roles} post-start hook: on every start, the bootstrap policy's
 * roles and bindings that are missing are created and the ones that lost something they ship
 * with get it back ({@link PolicyReconciliation}); nothing is deleted.
 */
final class RbacBootstrap {

    private static final Logger log = LoggerFactory.getLogger(RbacBootstrap.class);
    private static final String GROUP = "rbac.authorization.k8s.io";

    private final ObjectStorage storage;
    private final ResourceRegistry registry;

    RbacBootstrap(ObjectStorage storage, ResourceRegistry registry) {
        this.storage = storage;
        this.registry = registry;
    }

    void run() {
        List<Future<Boolean>> writes = new ArrayList<>();
        // Each object in a task of its own: the writes are independent, and the store's group
        // commit makes one durable commit of those in flight, where one after another cost a
        // commit each (most of a new cluster's time to ready).
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            reconcile(executor, "clusterroles", BootstrapPolicy.clusterRoles(), writes);
            reconcile(executor, "clusterrolebindings", BootstrapPolicy.clusterRoleBindings(), writes);
            reconcile(executor, "roles", BootstrapPolicy.roles(), writes);
            reconcile(executor, "rolebindings", BootstrapPolicy.roleBindings(), writes);
        }
        int changed = 0;
        for (Future<Boolean> write : writes) {
            changed += written(write) ? 1 : 0;
        }
        if (changed > 0) {
            log.info("reconciled the bootstrap RBAC policy objectsWritten={}", changed);
        }
    }

    private void reconcile(ExecutorService executor, String plural, List<ObjectNode> expected, List<Future<Boolean>> writes) {
        ResourceType type = registry.byPlural(GROUP, "v1", plural).orElseThrow();
        for (ObjectNode object : expected) {
            writes.add(executor.submit(() -> reconcileOne(type, object)));
        }
    }

    private static boolean written(Future<Boolean> write) {
        try {
            return write.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while bootstrapping the RBAC policy", e);
        }
    }

    private boolean reconcileOne(ResourceType type, ObjectNode object) {
        String namespace = object.path("metadata").path("namespace").asText(null);
        String key = Keys.key(type, namespace, object.path("metadata").path("name").asText());
        try {
            return write(type, key, object);
        } catch (StatusException raced) {
            // another server starting on the same store wrote it first: either write is fine
            log.debug("bootstrap policy object changed meanwhile key={} error={}", key, raced.getMessage());
            return false;
        }
    }

    private boolean write(ResourceType type, String key, ObjectNode expected) {
        CachedObject current = storage.get(type, key);
        if (current == null) {
            storage.create(type, key, stamped(expected.deepCopy()));
            return true;
        }
        Optional<ObjectNode> reconciled = PolicyReconciliation.reconciled(expected, current.object());
        if (reconciled.isEmpty()) {
            return false;
        }
        if (PolicyReconciliation.replaces(reconciled.get(), current.object())) {
            storage.delete(key, current.modRevision());
            storage.create(type, key, stamped(reconciled.get()));
        } else {
            storage.update(key, reconciled.get(), current.modRevision());
        }
        return true;
    }

    private static ObjectNode stamped(ObjectNode object) {
        ObjectNode meta = object.withObject("metadata");
        meta.put("uid", RandomIds.uid());
        meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.remove("resourceVersion");
        return object;
    }
}
