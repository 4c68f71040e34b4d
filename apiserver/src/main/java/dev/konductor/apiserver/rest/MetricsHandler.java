package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.FieldError;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.metrics.MetricsReadings;
import dev.konductor.apiserver.watchcache.CachedObject;
import dev.konductor.apiserver.watchcache.WatchFilter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * metrics.k8s.io PodMetrics and NodeMetrics, served from {@link MetricsReadings} as upstream's
 * metrics-server serves its scrapes: get and list (label and field selectors, Table output) for
 * {@code kubectl top} and the HPA controller, no watch. The node agents report their readings
 * with PUT (stored whether or not one was there) or POST, and delete those of pods that are gone;
 * a namespace's deletion removes its readings with a deletecollection. Nothing reaches the store.
 * Only for a server that has its store to itself: servers that share an etcd store the readings
 * as ordinary objects, so that each serves every node's.
 */
final class MetricsHandler {

    private static final String GROUP = MetricsReadings.GROUP;
    /**
     * The verbs served, as discovery tells them: no watch and no patch. Upstream's metrics-server
     * lists get and list alone; the rest are how node agents report, and how a namespace's deletion
     * clears its readings. Without watch, clients that watch every resource discovery lists (the
     * garbage collector's monitors) leave these alone, as upstream's do.
     */
    static final Set<String> VERBS = Set.of("create", "delete", "deletecollection", "get", "list", "update");

    private final MetricsReadings readings;
    private final BodyDecoder decoder;
    private final Output output;
    private final Admission namespaceLifecycle;

    MetricsHandler(MetricsReadings readings, BodyDecoder decoder, Output output, Admission namespaceLifecycle) {
        this.readings = readings;
        this.decoder = decoder;
        this.output = output;
        this.namespaceLifecycle = namespaceLifecycle;
    }

    /** Tells discovery (and OpenAPI) what {@code registry}'s metrics.k8s.io resources serve here. */
    static void describeIn(ResourceRegistry registry) {
        for (ResourceType type : List.copyOf(registry.all())) {
            if (type.group().equals(GROUP)) {
                registry.add(type.withVerbs(VERBS));
            }
        }
    }

    static boolean handles(RequestContext ctx) {
        return ctx.type().group().equals(GROUP);
    }

    void handle(RequestContext ctx) {
        String method = ctx.exchange().method();
        if (ctx.info().subresource() != null) {
            throw notAllowed();
        }
        if (ctx.name() == null) {
            switch (method) {
                case "GET" -> list(ctx);
                case "POST" -> create(ctx);
                case "DELETE" -> deleteCollection(ctx);
                default -> throw notAllowed();
            }
            return;
        }
        switch (method) {
            case "GET" -> get(ctx);
            case "PUT" -> put(ctx);
            case "DELETE" -> delete(ctx);
            default -> throw notAllowed();
        }
    }

    private void list(RequestContext ctx) {
        ListOptions options = ListOptions.parse(ctx.exchange());
        if (options.watch()) {
            throw notAllowed();
        }
        output.list(ctx, matching(ctx, options), "", null);
    }

    /** The readings the request's selectors pick, with the watch cache's selector semantics. */
    private List<ObjectNode> matching(RequestContext ctx, ListOptions options) {
        WatchFilter filter = options.filter(ctx.namespace());
        return readings.list(ctx.type().plural(), ctx.namespace(),
                reading -> filter.matches(new CachedObject("", reading, 0)));
    }

    private void get(RequestContext ctx) {
        ObjectNode reading = readings.get(ctx.type().plural(), key(ctx)).orElseThrow(() -> notFound(ctx));
        output.object(ctx, 200, reading);
    }

    private void create(RequestContext ctx) {
        ObjectNode reading = reading(ctx, null);
        MetricsReadings.Key key = new MetricsReadings.Key(ctx.namespace(), ObjectMetaView.of(reading).name());
        if (!ctx.dryRun() && readings.putIfAbsent(ctx.type().plural(), key, reading).isPresent()) {
            throw StatusException.alreadyExists(GROUP, ctx.type().plural(), key.name());
        }
        output.object(ctx, 201, reading);
    }

    private void put(RequestContext ctx) {
        ObjectNode reading = reading(ctx, ctx.name());
        boolean replaced = ctx.dryRun() ? readings.get(ctx.type().plural(), key(ctx)).isPresent()
                : readings.put(ctx.type().plural(), key(ctx), reading).isPresent();
        output.object(ctx, replaced ? 200 : 201, reading);
    }

    private void delete(RequestContext ctx) {
        ObjectNode deleted = (ctx.dryRun() ? readings.get(ctx.type().plural(), key(ctx))
                : readings.remove(ctx.type().plural(), key(ctx))).orElseThrow(() -> notFound(ctx));
        output.object(ctx, 200, deleted);
    }

    private void deleteCollection(RequestContext ctx) {
        List<ObjectNode> deleted = matching(ctx, ListOptions.parse(ctx.exchange()));
        if (!ctx.dryRun()) {
            for (ObjectNode reading : deleted) {
                ObjectMetaView meta = ObjectMetaView.of(reading);
                readings.remove(ctx.type().plural(), new MetricsReadings.Key(meta.namespace(), meta.name()));
            }
        }
        output.list(ctx, deleted, "", null);
    }

    /**
     * The request's body as a reading: of this kind, in the URL's namespace, under the URL's name
     * (when it has one), stamped with the time it arrived as {@code creationTimestamp} (as
     * metrics-server stamps its readings), without what stored objects carry and readings do not.
     */
    private ObjectNode reading(RequestContext ctx, String urlName) {
        ObjectNode body = decoder.object(ctx.exchange());
        String apiVersion = body.path("apiVersion").asText("");
        String kind = body.path("kind").asText("");
        if (!apiVersion.equals(ctx.type().apiVersion()) || !kind.equals(ctx.type().kind())) {
            throw StatusException.badRequest("the API version in the data (" + apiVersion + ") and the kind ("
                    + kind + ") do not match the expected ones (" + ctx.type().apiVersion() + ", "
                    + ctx.type().kind() + ")");
        }
        ObjectNode metadata = body.get("metadata") instanceof ObjectNode m ? m : body.putObject("metadata");
        String name = metadata.path("name").asText("");
        if (urlName != null && !name.isEmpty() && !name.equals(urlName)) {
            throw StatusException.badRequest("the name of the object (" + name
                    + ") does not match the name on the URL (" + urlName + ")");
        }
        if (name.isEmpty() && urlName == null) {
            throw StatusException.invalid(GROUP, ctx.type().kind(), "", List.of(FieldError.required("metadata.name",
                    "name or generateName is required")));
        }
        metadata.put("name", urlName != null ? urlName : name);
        String namespace = metadata.path("namespace").asText("");
        if (ctx.type().namespaced()) {
            if (!namespace.isEmpty() && !namespace.equals(ctx.namespace())) {
                throw StatusException.badRequest("the namespace of the provided object does not match the namespace "
                        + "sent on the request");
            }
            metadata.put("namespace", ctx.namespace());
            namespaceLifecycle.admit(Admission.Operation.CREATE, ctx.type(), body, null,
                    ctx.admissionRequest(null));
        } else {
            metadata.remove("namespace");
        }
        for (String stored : List.of("resourceVersion", "managedFields", "uid", "generation", "selfLink")) {
            metadata.remove(stored);
        }
        metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return body;
    }

    private static MetricsReadings.Key key(RequestContext ctx) {
        return new MetricsReadings.Key(ctx.namespace(), ctx.name());
    }

    /** As metrics-server words it: {@code podmetrics.metrics.k8s.io "NAMESPACE/NAME" not found}. */
    private static StatusException notFound(RequestContext ctx) {
        boolean pods = ctx.type().namespaced();
        return StatusException.notFound(GROUP, pods ? "podmetrics" : "nodemetrics",
                pods ? ctx.namespace() + "/" + ctx.name() : ctx.name());
    }

    private static StatusException notAllowed() {
        return StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
}
