package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.authn.AuthenticationReviews;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.authz.Attributes;
import dev.konductor.apiserver.authz.Decision;
import dev.konductor.apiserver.authz.Forbidden;
import dev.konductor.apiserver.authz.Impersonation;
import dev.konductor.apiserver.authz.review.AccessReviews;
import dev.konductor.apiserver.discovery.Discovery;
import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.http.HttpHandler;
import dev.konductor.apiserver.nodejoin.NodeCredentialsEndpoint;
import dev.konductor.apiserver.serviceaccount.IssuerDiscovery;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The top of the request path: authentication (no credentials is {@code system:anonymous}),
 * impersonation and authorization of every request, then health and version endpoints, the
 * service account issuer's discovery documents, a joining node's certificates, API discovery,
 * OpenAPI, the reviews, component statuses, and resource requests dispatched by verb. Only {@code /cacerts}, which a joining node
 * fetches before it trusts the server, comes before authentication.
 */
public final class ApiRouter implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);
    private static final Set<String> HEALTH_PATHS = Set.of("/healthz", "/livez", "/readyz", "/version");
    private static final Map<String, String> CACHE_AN_HOUR = Map.of("Cache-Control", "public, max-age=3600");

    /** Serves the OpenAPI documents; answers false when it does not know the path. */
    public interface OpenApiEndpoint {
        boolean serve(HttpExchange exchange);
    }

    private final ResourceRegistry registry;
    private final Discovery discovery;
    private final Responses responses;
    private final ResourceHandler resources;
    private final PatchHandler patches;
    private final ListWatchHandler lists;
    private final SubresourceHandler subresources;
    private final OpenApiEndpoint openApi;
    private final Identity identity;
    private final Impersonation impersonation;
    private final ReviewHandler reviews;
    private final ComponentStatusHandler componentStatuses;
    private final MetricsHandler metrics; // null: metrics.k8s.io objects are stored as any other
    private final BooleanSupplier ready;
    private final ObjectNode version;
    private final String advertiseAddress;
    private final byte[] caCertificates;
    private final NodeCredentialsEndpoint nodeCredentials; // null: nodes cannot join with a token

    ApiRouter(ResourceRegistry registry, Discovery discovery, Responses responses, ResourceHandler resources,
              PatchHandler patches, ListWatchHandler lists, SubresourceHandler subresources, OpenApiEndpoint openApi,
              Identity identity, BodyDecoder decoder, ComponentStatusHandler componentStatuses, MetricsHandler metrics,
              BooleanSupplier ready,
              String advertiseAddress, X509Certificate clusterCa, NodeCredentialsEndpoint nodeCredentials) {
        this.registry = registry;
        this.discovery = discovery;
        this.responses = responses;
        this.resources = resources;
        this.patches = patches;
        this.lists = lists;
        this.subresources = subresources;
        this.openApi = openApi;
        this.identity = identity;
        this.impersonation = new Impersonation(identity.authorizer());
        this.reviews = new ReviewHandler(new AuthenticationReviews(identity.authenticator()),
                new AccessReviews(identity.authorizer()), decoder, responses);
        this.componentStatuses = componentStatuses;
        this.metrics = metrics;
        this.ready = ready;
        this.advertiseAddress = advertiseAddress;
        this.caCertificates = clusterCa == null ? null : pem(clusterCa);
        this.nodeCredentials = nodeCredentials;
        this.version = ServerVersion.json();
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            route(exchange);
        } catch (StatusException e) {
            if (!exchange.responded()) {
                responses.error(exchange, e);
            }
        } catch (RuntimeException e) {
            log.error("request failed method={} uri={} error={}", exchange.method(), exchange.uri(), e.toString(), e);
            if (!exchange.responded()) {
                responses.error(exchange, StatusException.internal(e.toString()));
            }
        }
    }

    private void route(HttpExchange exchange) {
        String path = exchange.path();
        if (path.equals("/cacerts")) {
            caCertificates(exchange);
            return;
        }
        UserInfo user = authorize(exchange);
        if (HEALTH_PATHS.contains(path) || path.startsWith("/readyz/") || path.startsWith("/livez/")
                || path.startsWith("/healthz/")) {
            healthEndpoint(exchange, path);
            return;
        }
        if (issuerDocument(exchange, path)) {
            return;
        }
        if (NodeCredentialsEndpoint.handles(path)) {
            if (nodeCredentials == null) {
                throw notFoundPath();
            }
            nodeCredentials.handle(exchange);
            return;
        }
        if (path.equals("/api") || path.equals("/api/")) {
            String agg = Discovery.aggregatedVersion(exchange.header("Accept"));
            if (agg != null) {
                responses.json(exchange, 200, Discovery.aggregatedContentType(agg), discovery.aggregated(true, agg));
            } else {
                responses.json(exchange, 200, discovery.apiVersions(advertiseAddress));
            }
            return;
        }
        if (path.equals("/apis") || path.equals("/apis/")) {
            String agg = Discovery.aggregatedVersion(exchange.header("Accept"));
            if (agg != null) {
                responses.json(exchange, 200, Discovery.aggregatedContentType(agg), discovery.aggregated(false, agg));
            } else {
                responses.json(exchange, 200, discovery.apiGroupList());
            }
            return;
        }
        if (path.startsWith("/openapi/") || path.equals("/swagger-2.0.0.pb-v1") || path.equals("/swagger.json")) {
            if (!openApi.serve(exchange)) {
                throw notFoundPath();
            }
            return;
        }
        String[] parts = RequestInfo.segments(path);
        if (parts.length == 2 && parts[0].equals("api")) {
            respondOrNotFound(exchange, discovery.apiResourceList("", parts[1]));
            return;
        }
        if (parts.length == 2 && parts[0].equals("apis")) {
            respondOrNotFound(exchange, discovery.apiGroup(parts[1]));
            return;
        }
        if (parts.length == 3 && parts[0].equals("apis")) {
            respondOrNotFound(exchange, discovery.apiResourceList(parts[1], parts[2]));
            return;
        }
        RequestInfo info = RequestInfo.parse(path);
        if (info == null) {
            throw notFoundPath();
        }
        ResourceType type = registry.byPlural(info.group(), info.version(), info.resource())
                .orElseThrow(ApiRouter::notFoundPath);
        if (type.namespaced() && info.namespace() == null && info.name() != null) {
            throw notFoundPath();
        }
        RequestContext ctx = new RequestContext(exchange, info, type, user);
        if (ReviewHandler.handles(ctx)) {
            reviews.handle(ctx);
        } else if (ComponentStatusHandler.handles(ctx)) {
            componentStatuses.handle(ctx);
        } else if (metrics != null && MetricsHandler.handles(ctx)) {
            metrics.handle(ctx);
        } else {
            resource(ctx);
        }
    }

    /**
     * Whom the request acts as, once it may do what it asks: 401 for credentials that prove
     * nobody, 403 (upstream's message) for what no authorizer allows.
     */
    private UserInfo authorize(HttpExchange exchange) {
        UserInfo authenticated = identity.authenticator().authenticate(exchange)
                .orElseThrow(StatusException::unauthorized);
        UserInfo user = impersonation.actingAs(authenticated, RequestAttributes.impersonation(exchange));
        Attributes request = RequestAttributes.of(exchange, user);
        Decision decision = identity.authorizer().authorize(request);
        if (!decision.allowed()) {
            log.debug("forbidden user={} verb={} resource={} namespace={} path={} reason=\"{}\"", user.name(),
                    request.verb(), request.combinedResource(), request.namespace(), request.path(),
                    decision.reason());
            throw Forbidden.of(request, decision.reason());
        }
        return user;
    }

    private void resource(RequestContext ctx) {
        String method = ctx.exchange().method();
        RequestInfo info = ctx.info();
        if (info.subresource() != null) {
            subresources.handle(ctx, method, info.subresource());
            return;
        }
        if (info.name() == null) {
            switch (method) {
                case "GET" -> lists.list(ctx);
                case "POST" -> resources.create(ctx);
                case "DELETE" -> resources.deleteCollection(ctx, lists.matching(ctx));
                default -> throw methodNotAllowed();
            }
            return;
        }
        switch (method) {
            case "GET" -> resources.get(ctx);
            case "PUT" -> resources.update(ctx);
            case "PATCH" -> patches.patch(ctx, null);
            case "DELETE" -> resources.delete(ctx);
            default -> throw methodNotAllowed();
        }
    }

    /** The service account issuer's OpenID discovery documents; false for any other path. */
    private boolean issuerDocument(HttpExchange exchange, String path) {
        switch (path) {
            case IssuerDiscovery.CONFIGURATION_PATH -> exchange.respond(200, Responses.JSON,
                    responses.bytes(identity.issuer().configuration()), CACHE_AN_HOUR);
            case IssuerDiscovery.KEYS_PATH -> exchange.respond(200, "application/jwk-set+json",
                    responses.bytes(identity.issuer().keys()), CACHE_AN_HOUR);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Public like k3s's: a joining node fetches the CA over unverified TLS and checks it against
     * the hash its token carries before it trusts this server with anything.
     */
    private void caCertificates(HttpExchange exchange) {
        if (caCertificates == null) {
            throw notFoundPath();
        }
        exchange.respond(200, "application/x-pem-file", caCertificates);
    }

    private void healthEndpoint(HttpExchange exchange, String path) {
        if (path.equals("/version")) {
            responses.json(exchange, 200, version);
            return;
        }
        boolean ok = !path.startsWith("/readyz") || ready.getAsBoolean();
        exchange.respond(ok ? 200 : 500, "text/plain; charset=utf-8",
                (ok ? "ok" : "[-]informer-sync failed: not ready\nreadyz check failed").getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] pem(X509Certificate certificate) {
        try {
            String body = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return ("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the cluster CA", e);
        }
    }

    private void respondOrNotFound(HttpExchange exchange, ObjectNode body) {
        if (body == null) {
            throw notFoundPath();
        }
        responses.json(exchange, 200, body);
    }

    static StatusException notFoundPath() {
        return new StatusException(404, "NotFound", "the server could not find the requested resource", null, null,
                null, null, null);
    }

    private static StatusException methodNotAllowed() {
        return StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
    }
}
