package dev.konductor.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
        int changed = reconcile("clusterroles", BootstrapPolicy.clusterRoles())
                + reconcile("clusterrolebindings", BootstrapPolicy.clusterRoleBindings())
                + reconcile("roles", BootstrapPolicy.roles())
                + reconcile("rolebindings", BootstrapPolicy.roleBindings());
        if (changed > 0) {
            log.info("reconciled the bootstrap RBAC policy objectsWritten={}", changed);
        }
    }

    private int reconcile(String plural, List<ObjectNode> expected) {
        ResourceType type = registry.byPlural(GROUP, "v1", plural).orElseThrow();
        int written = 0;
        for (ObjectNode object : expected) {
            String namespace = object.path("metadata").path("namespace").asText(null);
            String key = Keys.key(type, namespace, object.path("metadata").path("name").asText());
            try {
                written += write(type, key, object) ? 1 : 0;
            } catch (StatusException raced) {
                // another server starting on the same store wrote it first: either write is fine
                log.debug("bootstrap policy object changed meanwhile key={} error={}", key, raced.getMessage());
            }
        }
        return written;
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
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.remove("resourceVersion");
        return object;
    }
}
