package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.LabelSelector;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.util.List;

/**
 * The subresources: status, scale (as autoscaling/v1 Scale), pods/binding, pods/eviction
 * (honouring PodDisruptionBudgets), namespaces/finalize, pods/log (proxied to the pod's kubelet);
 * the other streaming ones answer 503 until the kubelet serves them.
 */
final class SubresourceHandler {

    private final ObjectStorage storage;
    private final ObjectWriter writer;
    private final BodyDecoder decoder;
    private final Output output;
    private final ResourceHandler resources;
    private final PatchHandler patches;
    private final Deleter deleter;
    private final ResourceType pdbType;
    private final PodLogs podLogs;

    SubresourceHandler(ObjectStorage storage, ObjectWriter writer, BodyDecoder decoder, Output output,
                       ResourceHandler resources, PatchHandler patches, Deleter deleter, ResourceType pdbType,
                       PodLogs podLogs) {
        this.storage = storage;
        this.writer = writer;
        this.decoder = decoder;
        this.output = output;
        this.resources = resources;
        this.patches = patches;
        this.deleter = deleter;
        this.pdbType = pdbType;
        this.podLogs = podLogs;
    }

    void handle(RequestContext ctx, String method, String subresource) {
        if (!ctx.type().hasSubresource(subresource)) {
            throw StatusException.notFound(ctx.type().group(), ctx.type().plural() + "/" + subresource, ctx.name());
        }
        switch (subresource) {
            case "status" -> status(ctx, method);
            case "scale" -> scale(ctx, method);
            case "binding" -> requirePost(method, () -> bind(ctx));
            case "eviction" -> requirePost(method, () -> evict(ctx));
            case "finalize" -> finalizeNamespace(ctx, method);
            case "log" -> podLogs.handle(ctx, resources.existing(ctx));
            case "exec", "attach", "portforward", "proxy" -> {
                resources.existing(ctx);
                throw StatusException.serviceUnavailable("no node agent serves " + subresource + " for "
                        + ctx.type().plural() + " yet");
            }
            default -> throw StatusException.methodNotAllowed("the server does not allow this method on the "
                    + "requested resource");
        }
    }

    private static void requirePost(String method, Runnable action) {
        if (!method.equals("POST")) {
            throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        action.run();
    }

    private void status(RequestContext ctx, String method) {
        switch (method) {
            case "GET" -> resources.get(ctx);
            case "PATCH" -> patches.patch(ctx, "status");
            case "PUT" -> {
                ObjectNode body = decoder.object(ctx.exchange());
                ObjectWriter.checkTypeMeta(ctx.type(), body);
                Long precondition = ResourceHandler.resourceVersionOf(body);
                CachedObject result = resources.writeLoop(ctx, precondition, current -> {
                    ObjectNode stored = writer.toStorage(ctx.type(), body.deepCopy());
                    writer.lifecycle().prepareForStatusUpdate(stored, current.object());
                    return stored;
                }, "status");
                output.object(ctx, 200, result.object());
            }
            default -> throw StatusException.methodNotAllowed("the server does not allow this method on the "
                    + "requested resource");
        }
    }

    private void scale(RequestContext ctx, String method) {
        switch (method) {
            case "GET" -> respondScale(ctx, resources.existing(ctx).object());
            case "PUT", "PATCH" -> {
                JsonNode body = method.equals("PUT") ? decoder.object(ctx.exchange())
                        : decoder.patch(ctx.exchange(), BodyDecoder.mediaType(ctx.exchange()));
                Long precondition = ResourceHandler.resourceVersionOf(body);
                CachedObject result = resources.writeLoop(ctx, precondition, current -> {
                    ObjectNode scale = toScale(current.object());
                    JsonNode next = method.equals("PUT") ? body
                            : dev.konductor.api.patch.MergePatch.apply(scale, body);
                    JsonNode replicas = next.path("spec").path("replicas");
                    if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
                        throw StatusException.invalid("autoscaling", "Scale", ctx.name(), List.of(
                                dev.konductor.api.status.FieldError.invalid("spec.replicas", replicas,
                                        "must be greater than or equal to 0")));
                    }
                    ObjectNode updated = current.object().deepCopy();
                    updated.withObject("spec").put("replicas", replicas.asInt());
                    writer.lifecycle().prepareForUpdate(ctx.type(), updated, current.object());
                    return updated;
                }, "scale");
                respondScale(ctx, result.object());
            }
            default -> throw StatusException.methodNotAllowed("the server does not allow this method on the "
                    + "requested resource");
        }
    }

    private void respondScale(RequestContext ctx, ObjectNode obj) {
        output.responses().json(ctx.exchange(), 200, toScale(obj));
    }

    /** The autoscaling/v1 Scale view of a workload. */
    static ObjectNode toScale(ObjectNode obj) {
        ObjectNode scale = JsonNodeFactory.instance.objectNode();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        JsonNode m = obj.path("metadata");
        for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (m.has(f)) {
                meta.set(f, m.get(f));
            }
        }
        scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", obj.path("status").path("replicas").asInt(0));
        JsonNode selector = obj.path("spec").path("selector");
        String text = selector.isObject() && !selector.has("matchLabels") && !selector.has("matchExpressions")
                ? LabelSelector.fromSet(toMap(selector)).toString()
                : LabelSelector.fromStructured(selector).toString();
        status.put("selector", text);
        return scale;
    }

    private static java.util.Map<String, String> toMap(JsonNode node) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private void bind(RequestContext ctx) {
        ObjectNode binding = decoder.object(ctx.exchange());
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw StatusException.invalid("", "Binding", ctx.name(), List.of(
                    dev.konductor.api.status.FieldError.required("target.name")));
        }
        resources.writeLoop(ctx, null, current -> {
            ObjectNode pod = current.object().deepCopy();
            if (pod.path("metadata").has("deletionTimestamp")) {
                throw StatusException.conflict("", "pods", ctx.name(), "pod " + ctx.name() + " is being deleted, "
                        + "cannot be assigned to a host");
            }
            String assigned = pod.path("spec").path("nodeName").asText("");
            if (!assigned.isEmpty()) {
                throw StatusException.conflict("", "pods/binding", ctx.name(), "pod " + ctx.name()
                        + " is already assigned to node \"" + assigned + "\"");
            }
            pod.withObject("spec").put("nodeName", node);
            ObjectNode condition = pod.withObject("status").withArray("conditions").addObject();
            condition.put("type", "PodScheduled");
            condition.put("status", "True");
            condition.putNull("lastProbeTime");
            condition.put("lastTransitionTime", ObjectLifecycle.now().toString());
            return pod;
        }, "binding");
        output.responses().json(ctx.exchange(), 201, Responses.success(201));
    }

    private void evict(RequestContext ctx) {
        ObjectNode eviction = decoder.object(ctx.exchange());
        CachedObject pod = resources.existing(ctx);
        String phase = pod.object().path("status").path("phase").asText("");
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        if (!terminal && !pod.object().path("metadata").has("deletionTimestamp")) {
            chargeDisruptionBudget(ctx, pod);
        }
        JsonNode options = eviction.path("deleteOptions");
        deleter.delete(ctx, options.isObject() ? options : JsonNodeFactory.instance.objectNode());
        output.responses().json(ctx.exchange(), 201, Responses.success(201));
    }

    /** An eviction that would break a budget is refused with 429; otherwise it uses one disruption. */
    private void chargeDisruptionBudget(RequestContext ctx, CachedObject pod) {
        java.util.Map<String, String> labels = ListOptions.labelsOf(pod);
        for (CachedObject pdb : storage.cache().resource(Keys.prefix(pdbType)).scope(ctx.namespace()).values()) {
            JsonNode selector = pdb.object().path("spec").path("selector");
            if (selector.isMissingNode() || !LabelSelector.fromStructured(selector).matches(labels)) {
                continue;
            }
            String pdbName = pdb.name();
            RequestContext pdbCtx = new RequestContext(ctx.exchange(), new RequestInfo("policy", "v1", ctx.namespace(),
                    "poddisruptionbudgets", pdbName, "status"), pdbType);
            resources.writeLoop(pdbCtx, null, current -> {
                ObjectNode updated = current.object().deepCopy();
                ObjectNode status = updated.withObject("status");
                int allowed = status.path("disruptionsAllowed").asInt(0);
                if (allowed <= 0 || status.path("observedGeneration").asLong(0)
                        < updated.path("metadata").path("generation").asLong(0)) {
                    throw StatusException.tooManyRequests("Cannot evict pod as it would violate the pod's "
                            + "disruption budget.", 10);
                }
                status.put("disruptionsAllowed", allowed - 1);
                status.withObject("disruptedPods").put(ctx.name(), ObjectLifecycle.now().toString());
                return updated;
            }, "status");
            return;
        }
    }

    private void finalizeNamespace(RequestContext ctx, String method) {
        if (!method.equals("PUT")) {
            throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        ObjectNode body = decoder.object(ctx.exchange());
        CachedObject result = resources.writeLoop(ctx, null, current -> {
            ObjectNode updated = current.object().deepCopy();
            JsonNode finalizers = body.path("spec").path("finalizers");
            updated.withObject("spec").set("finalizers", finalizers.isArray() ? finalizers
                    : JsonNodeFactory.instance.arrayNode());
            return updated;
        }, "finalize");
        output.object(ctx, 200, result.object());
    }
}
