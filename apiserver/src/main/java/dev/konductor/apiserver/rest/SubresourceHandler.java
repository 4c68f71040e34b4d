package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.LabelSelector;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.FieldError;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.serviceaccount.TokenRequests;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The subresources: status, scale (as autoscaling/v1 Scale), pods/binding, pods/eviction
 * (honouring PodDisruptionBudgets), namespaces/finalize, serviceaccounts/token (TokenRequest), and
 * the ones the pod's kubelet serves: pods/log, pods/exec, pods/attach and pods/portforward.
 * pods/proxy answers 503 for now.
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
    private final ApiRules rules;
    private final PodLogs podLogs;
    private final PodStreams podStreams;
    private final TokenRequests tokenRequests;

    SubresourceHandler(ObjectStorage storage, ApiRules rules, ObjectWriter writer, BodyDecoder decoder, Output output,
                       ResourceHandler resources, PatchHandler patches, Deleter deleter, ResourceType pdbType,
                       PodLogs podLogs, PodStreams podStreams, TokenRequests tokenRequests) {
        this.storage = storage;
        this.rules = rules;
        this.writer = writer;
        this.decoder = decoder;
        this.output = output;
        this.resources = resources;
        this.patches = patches;
        this.deleter = deleter;
        this.pdbType = pdbType;
        this.podLogs = podLogs;
        this.podStreams = podStreams;
        this.tokenRequests = tokenRequests;
    }

    void handle(RequestContext ctx, String method, String subresource) {
        if (!ctx.type().hasSubresource(subresource)) {
            throw StatusException.notFound(ctx.type().group(), ctx.type().plural() + "/" + subresource, ctx.name());
        }
        switch (subresource) {
            case "status" -> status(ctx, method);
            case ObjectWriter.EPHEMERAL_CONTAINERS -> ephemeralContainers(ctx, method);
            case "scale" -> scale(ctx, method);
            case "binding" -> requirePost(method, () -> bind(ctx));
            case "eviction" -> requirePost(method, () -> evict(ctx));
            case "finalize" -> finalizeNamespace(ctx, method);
            case "log" -> podLogs.handle(ctx, resources.existing(ctx));
            case "token" -> requirePost(method, () -> output.responses().json(ctx.exchange(), 201,
                    tokenRequests.issue(ctx.namespace(), ctx.name(), decoder.object(ctx.exchange()))));
            case "exec", "attach", "portforward" -> podStreams.handle(ctx, resources.existing(ctx), subresource);
            case "proxy" -> {
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
        partialUpdate(ctx, method, "status", writer.lifecycle()::prepareForStatusUpdate);
    }

    /** A pod's ephemeral containers ({@code kubectl debug}): read as the pod, changed by PATCH or PUT. */
    private void ephemeralContainers(RequestContext ctx, String method) {
        partialUpdate(ctx, method, ObjectWriter.EPHEMERAL_CONTAINERS,
                writer.lifecycle()::prepareForEphemeralContainersUpdate);
    }

    /**
     * A subresource that reads as the whole object and writes a part of it: {@code prepare} turns
     * the body (storage version) into the object to store, given the stored one.
     */
    private void partialUpdate(RequestContext ctx, String method, String subresource,
                               BiConsumer<ObjectNode, ObjectNode> prepare) {
        switch (method) {
            case "GET" -> resources.get(ctx);
            case "PATCH" -> patches.patch(ctx, subresource);
            case "PUT" -> {
                ObjectNode body = decoder.object(ctx.exchange());
                ObjectWriter.checkTypeMeta(ctx.type(), body);
                Long precondition = ResourceHandler.resourceVersionOf(body);
                CachedObject result = resources.writeLoop(ctx, precondition, current -> {
                    ObjectNode stored = writer.toStorage(ctx.type(), body.deepCopy());
                    prepare.accept(stored, current.object());
                    return stored;
                }, subresource);
                output.object(ctx, 200, result);
            }
            default -> throw StatusException.methodNotAllowed("the server does not allow this method on the "
                    + "requested resource");
        }
    }

    private void scale(RequestContext ctx, String method) {
        ScalePaths paths = rules.scalePaths(ctx.type());
        switch (method) {
            case "GET" -> respondScale(ctx, resources.existing(ctx).object(), paths);
            case "PUT", "PATCH" -> {
                String mediaType = BodyDecoder.mediaType(ctx.exchange());
                JsonNode body = method.equals("PUT") ? decoder.object(ctx.exchange())
                        : decoder.patch(ctx.exchange(), mediaType);
                Long precondition = body.isObject() ? ResourceHandler.resourceVersionOf(body) : null;
                CachedObject result = resources.writeLoop(ctx, precondition, current -> {
                    ObjectNode scale = toScale(current.object(), paths);
                    JsonNode next = method.equals("PUT") ? body : patchScale(scale, body, mediaType);
                    JsonNode replicas = next.path("spec").path("replicas");
                    if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
                        throw StatusException.invalid("autoscaling", "Scale", ctx.name(), List.of(
                                dev.konductor.api.status.FieldError.invalid("spec.replicas", replicas,
                                        "must be greater than or equal to 0")));
                    }
                    ObjectNode updated = current.object().deepCopy();
                    ScalePaths.setInt(updated, paths.specReplicas(), replicas.asInt());
                    writer.lifecycle().prepareForUpdate(ctx.type(), updated, current.object());
                    return updated;
                }, "scale");
                respondScale(ctx, result.object(), paths);
            }
            default -> throw StatusException.methodNotAllowed("the server does not allow this method on the "
                    + "requested resource");
        }
    }

    private JsonNode patchScale(ObjectNode scale, JsonNode patch, String mediaType) {
        return switch (mediaType) {
            case PatchHandler.JSON_PATCH -> rules.jsonPatch(scale, patch);
            case PatchHandler.MERGE_PATCH, PatchHandler.STRATEGIC_MERGE_PATCH -> rules.mergePatch(scale, patch);
            default -> throw StatusException.unsupportedMediaType(mediaType);
        };
    }

    private void respondScale(RequestContext ctx, ObjectNode obj, ScalePaths paths) {
        output.responses().json(ctx.exchange(), 200, toScale(obj, paths));
    }

    /** The autoscaling/v1 Scale view of a workload or custom resource. */
    static ObjectNode toScale(ObjectNode obj, ScalePaths paths) {
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
        int defaultReplicas = paths.builtIn() ? 1 : 0;
        scale.putObject("spec").put("replicas", ScalePaths.get(obj, paths.specReplicas()).asInt(defaultReplicas));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", ScalePaths.get(obj, paths.statusReplicas()).asInt(0));
        if (paths.builtIn()) {
            JsonNode selector = obj.path("spec").path("selector");
            String text = selector.isObject() && !selector.has("matchLabels") && !selector.has("matchExpressions")
                    ? LabelSelector.fromSet(toMap(selector)).toString()
                    : LabelSelector.fromStructured(selector).toString();
            status.put("selector", text);
        } else if (paths.labelSelector() != null) {
            JsonNode selector = ScalePaths.get(obj, paths.labelSelector());
            if (selector.isTextual() && !selector.asText().isEmpty()) {
                status.put("selector", selector.asText());
            }
        }
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
            // replace a PodScheduled=False the scheduler wrote earlier rather than adding a second one
            var conditions = pod.withObject("status").withArray("conditions");
            for (int i = conditions.size() - 1; i >= 0; i--) {
                if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
                    conditions.remove(i);
                }
            }
            ObjectNode condition = conditions.addObject();
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
        java.util.Map<String, String> labels = pod.labels();
        for (CachedObject pdb : storage.cache().resource(Keys.prefix(pdbType)).scope(ctx.namespace()).values()) {
            JsonNode selector = pdb.object().path("spec").path("selector");
            if (selector.isMissingNode() || !LabelSelector.fromStructured(selector).matches(labels)) {
                continue;
            }
            String pdbName = pdb.name();
            RequestContext pdbCtx = ctx.withInfo(new RequestInfo("policy", "v1", ctx.namespace(),
                    "poddisruptionbudgets", pdbName, "status"), pdbType);
            resources.writeLoop(pdbCtx, null, current -> {
                ObjectNode updated = current.object().deepCopy();
                ObjectNode status = updated.withObject("status");
                int allowed = status.path("disruptionsAllowed").asInt(0);
                if (allowed <= 0 || status.path("observedGeneration").asLong(0)
                        < updated.path("metadata").path("generation").asLong(0)) {
                    // no Retry-After, as upstream: kubectl drain reports the refusal and retries itself
                    throw new StatusException(429, "TooManyRequests", "Cannot evict pod as it would violate the "
                            + "pod's disruption budget.", null, null, null, java.util.List.of(new FieldError(
                            "DisruptionBudget", null, "The disruption budget " + pdbName + " needs "
                            + status.path("desiredHealthy").asInt(0) + " healthy pods and has "
                            + status.path("currentHealthy").asInt(0) + " currently")), null);
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
        output.object(ctx, 200, result);
    }
}
