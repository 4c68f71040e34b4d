package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.authn.AuthenticationReviews;
import dev.konductor.apiserver.authn.UserInfo;
import dev.konductor.apiserver.discovery.Discovery;
import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.http.HttpHandler;
import dev.konductor.apiserver.serviceaccount.IssuerDiscovery;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The top of the request path: health and version endpoints, authentication, the service account
 * issuer's discovery documents, API discovery, OpenAPI, the authentication reviews, then resource
 * requests dispatched by verb.
 */
public final class ApiRouter implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);
    private static final Set<String> PUBLIC_PATHS = Set.of("/healthz", "/livez", "/readyz", "/version", "/cacerts");
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
    private final AuthenticationReviews reviews;
    private final BodyDecoder decoder;
    private final BooleanSupplier ready;
    private final ObjectNode version;
    private final String advertiseAddress;
    private final byte[] caCertificates;

    ApiRouter(ResourceRegistry registry, Discovery discovery, Responses responses, ResourceHandler resources,
              PatchHandler patches, ListWatchHandler lists, SubresourceHandler subresources, OpenApiEndpoint openApi,
              Identity identity, BodyDecoder decoder, BooleanSupplier ready, String advertiseAddress,
              X509Certificate clusterCa) {
        this.registry = registry;
        this.discovery = discovery;
        this.responses = responses;
        this.resources = resources;
        this.patches = patches;
        this.lists = lists;
        this.subresources = subresources;
        this.openApi = openApi;
        this.identity = identity;
        this.reviews = new AuthenticationReviews(identity.authenticator());
        this.decoder = decoder;
        this.ready = ready;
        this.advertiseAddress = advertiseAddress;
        this.caCertificates = clusterCa == null ? null : pem(clusterCa);
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
        if (PUBLIC_PATHS.contains(path) || path.startsWith("/readyz/") || path.startsWith("/livez/")
                || path.startsWith("/healthz/")) {
            publicEndpoint(exchange, path);
            return;
        }
        UserInfo user = identity.authenticator().authenticate(exchange).orElseThrow(StatusException::unauthorized);
        if (issuerDocument(exchange, path)) {
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
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
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
        if (type.group().equals("authentication.k8s.io")) {
            review(exchange, info, type, user);
            return;
        }
        resource(new RequestContext(exchange, info, type));
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

    /** TokenReview and SelfSubjectReview: created (answered), never stored. */
    private void review(HttpExchange exchange, RequestInfo info, ResourceType type, UserInfo user) {
        if (info.name() != null || !exchange.method().equals("POST")) {
            throw methodNotAllowed();
        }
        ObjectNode request = decoder.object(exchange);
        ObjectWriter.checkTypeMeta(type, request);
        ObjectNode answer = switch (type.kind()) {
            case "TokenReview" -> reviews.tokenReview(request);
            case "SelfSubjectReview" -> AuthenticationReviews.selfSubjectReview(request, user);
            default -> throw notFoundPath();
        };
        responses.json(exchange, 201, answer);
    }

    private void publicEndpoint(HttpExchange exchange, String path) {
        if (path.equals("/version")) {
            responses.json(exchange, 200, version);
            return;
        }
        if (path.equals("/cacerts")) {
            // Public like k3s's: a joining node fetches the CA over unverified TLS and checks it
            // against the hash its token carries before it trusts this server with anything.
            if (caCertificates == null) {
                throw notFoundPath();
            }
            exchange.respond(200, "application/x-pem-file", caCertificates);
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
