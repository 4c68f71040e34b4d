package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.time.Instant;

/**
 * Deletion as upstream does it: preconditions, graceful pod deletion (deletionTimestamp set, the
 * kubelet finishes it), finalizers (the object stays, marked, until its finalizers are removed),
 * propagation policies (Foreground and Orphan become finalizers for the garbage collector),
 * namespaces terminating before they go.
 */
final class Deleter {

    /** Upstream's finalizer that holds a CustomResourceDefinition until its objects are gone. */
    static final String CRD_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    private final ObjectStorage storage;
    private final ObjectWriter writer;

    Deleter(ObjectStorage storage, ObjectWriter writer) {
        this.storage = storage;
        this.writer = writer;
    }

    CachedObject delete(RequestContext ctx, JsonNode options) {
        ResourceType type = ctx.type();
        String key = Keys.key(type, ctx.namespace(), ctx.name());
        for (int attempt = 0; attempt < 50; attempt++) {
            CachedObject current = storage.get(type, key);
            if (current == null) {
                throw StatusException.notFound(type.group(), type.plural(), ctx.name());
            }
            checkPreconditions(ctx, current, options.path("preconditions"));
            writer.admit(Admission.Operation.DELETE, type, current.object(), current.object(),
                    ctx.admissionRequest(null));
            ObjectNode marked = markForDeletion(type, current.object(), options);
            if (marked == null) {
                if (ctx.dryRun()) {
                    return current;
                }
                CachedObject deleted = storage.delete(key, current.modRevision());
                if (deleted != null) {
                    return deleted;
                }
            } else {
                if (ctx.dryRun() || marked.equals(current.object())) {
                    return new CachedObject(key, marked, current.modRevision());
                }
                CachedObject updated = storage.update(key, marked, current.modRevision());
                if (updated != null) {
                    return updated;
                }
            }
            storage.cache().waitFresh(1000);
        }
        throw ObjectStorage.conflict(type, ctx.name());
    }

    private static void checkPreconditions(RequestContext ctx, CachedObject current, JsonNode preconditions) {
        String uid = preconditions.path("uid").asText("");
        if (!uid.isEmpty() && !uid.equals(current.object().path("metadata").path("uid").asText())) {
            throw StatusException.conflict(ctx.type().group(), ctx.type().plural(), ctx.name(),
                    "Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
                            + current.object().path("metadata").path("uid").asText());
        }
        String rv = preconditions.path("resourceVersion").asText("");
        if (!rv.isEmpty() && !rv.equals(Long.toString(current.modRevision()))) {
            throw StatusException.conflict(ctx.type().group(), ctx.type().plural(), ctx.name(),
                    "Precondition failed: ResourceVersion in precondition: " + rv + ", ResourceVersion in object meta: "
                            + current.modRevision());
        }
    }

    /**
     * The object marked for a deferred deletion, or null when it can go now.
     */
    private static ObjectNode markForDeletion(ResourceType type, ObjectNode current, JsonNode options) {
        ObjectNode obj = current.deepCopy();
        ObjectNode meta = obj.withObject("metadata");
        String policy = options.path("propagationPolicy").asText("");
        if (policy.isEmpty() && options.has("orphanDependents")) {
            policy = options.path("orphanDependents").asBoolean() ? "Orphan" : "Background";
        }
        boolean alreadyDeleting = meta.has("deletionTimestamp");
        if (policy.equals("Foreground")) {
            addFinalizer(meta, "foregroundDeletion");
        } else if (policy.equals("Orphan")) {
            addFinalizer(meta, "orphan");
        }
        Instant now = ObjectLifecycle.now();
        if (type.kind().equals("Namespace") && type.group().isEmpty()) {
            if (!alreadyDeleting) {
                meta.put("deletionTimestamp", now.toString());
                meta.put("deletionGracePeriodSeconds", 0);
            }
            obj.withObject("status").put("phase", "Terminating");
            boolean pending = obj.path("spec").path("finalizers").size() > 0 || meta.path("finalizers").size() > 0;
            return pending ? obj : null;
        }
        if (isCustomResourceDefinition(type) && !alreadyDeleting) {
            // its custom resources go first: the API server's cleanup removes this finalizer after them
            addFinalizer(meta, CRD_CLEANUP_FINALIZER);
            markTerminating(obj);
        }
        long grace = gracePeriod(type, current, options);
        boolean hasFinalizers = meta.path("finalizers").size() > 0;
        if (grace > 0) {
            if (!alreadyDeleting || meta.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE) > grace) {
                meta.put("deletionTimestamp", now.plusSeconds(grace).toString());
                meta.put("deletionGracePeriodSeconds", grace);
            }
            return obj;
        }
        if (hasFinalizers) {
            if (!alreadyDeleting) {
                meta.put("deletionTimestamp", now.toString());
                meta.put("deletionGracePeriodSeconds", 0);
            } else {
                meta.put("deletionGracePeriodSeconds", 0);
            }
            return obj;
        }
        return null;
    }

    /**
     * A pod on a node gets its grace period (the kubelet stops its containers, then deletes it
     * with 0); an unscheduled or finished pod, and every other kind, goes at once.
     */
    private static long gracePeriod(ResourceType type, ObjectNode current, JsonNode options) {
        if (!type.kind().equals("Pod") || !type.group().isEmpty()) {
            return 0;
        }
        JsonNode spec = current.path("spec");
        String phase = current.path("status").path("phase").asText("");
        if (spec.path("nodeName").asText("").isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
            return 0;
        }
        if (options.has("gracePeriodSeconds") && !options.get("gracePeriodSeconds").isNull()) {
            return Math.max(0, options.get("gracePeriodSeconds").asLong());
        }
        return spec.path("terminationGracePeriodSeconds").asLong(30);
    }

    private static boolean isCustomResourceDefinition(ResourceType type) {
        return type.group().equals("apiextensions.k8s.io") && type.kind().equals("CustomResourceDefinition");
    }

    private static void markTerminating(ObjectNode crd) {
        ArrayNode conditions = crd.withObject("status").withArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if (conditions.get(i).path("type").asText().equals("Terminating")) {
                conditions.remove(i);
            }
        }
        ObjectNode terminating = conditions.addObject();
        terminating.put("type", "Terminating");
        terminating.put("status", "True");
        terminating.put("lastTransitionTime", ObjectLifecycle.now().toString());
        terminating.put("reason", "InstanceDeletionPending");
        terminating.put("message", "CustomResourceDefinition marked for deletion; CustomResource deletion will "
                + "begin soon");
    }

    private static void addFinalizer(ObjectNode meta, String finalizer) {
        ArrayNode finalizers = meta.withArray("finalizers");
        for (JsonNode f : finalizers) {
            if (f.asText().equals(finalizer)) {
                return;
            }
        }
        finalizers.add(finalizer);
    }
}
