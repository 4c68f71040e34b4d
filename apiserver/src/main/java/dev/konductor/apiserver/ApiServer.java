package dev.konductor.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.json.SharedJsonBuffers;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.serviceaccount.SigningKey;
import dev.konductor.api.serviceaccount.TokenClaims;
import dev.konductor.api.serviceaccount.TokenVerifier;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.admission.DefaultIngressClass;
import dev.konductor.apiserver.admission.DefaultStorageClass;
import dev.konductor.apiserver.admission.DefaultTolerationSeconds;
import dev.konductor.apiserver.admission.NamespaceLifecycle;
import dev.konductor.apiserver.admission.PriorityAdmission;
import dev.konductor.apiserver.admission.ResourceQuotaAdmission;
import dev.konductor.apiserver.admission.ServiceAccountAdmission;
import dev.konductor.apiserver.admission.ServiceAllocator;
import dev.konductor.apiserver.authn.ObjectLookup;
import dev.konductor.apiserver.authn.RequestAuthenticator;
import dev.konductor.apiserver.authn.ServiceAccountTokenAuthenticator;
import dev.konductor.apiserver.authn.StaticTokens;
import dev.konductor.apiserver.authz.Authorizer;
import dev.konductor.apiserver.authz.AuthorizerChain;
import dev.konductor.apiserver.authz.Superusers;
import dev.konductor.apiserver.authz.bootstrap.ComponentRoles;
import dev.konductor.apiserver.authz.node.NodeAuthorizer;
import dev.konductor.apiserver.authz.node.NodeRestriction;
import dev.konductor.apiserver.authz.rbac.EscalationCheck;
import dev.konductor.apiserver.authz.rbac.RbacAuthorizer;
import dev.konductor.apiserver.authz.rbac.RuleResolver;
import dev.konductor.apiserver.componentstatus.ComponentStatuses;
import dev.konductor.apiserver.crd.CustomResourceDefinitions;
import dev.konductor.apiserver.discovery.Discovery;
import dev.konductor.apiserver.http.HttpsServer;
import dev.konductor.apiserver.rest.ApiRouter;
import dev.konductor.apiserver.rest.ApiRules;
import dev.konductor.apiserver.rest.Identity;
import dev.konductor.apiserver.rest.RestApi;
import dev.konductor.apiserver.storage.Compactor;
import dev.konductor.apiserver.storage.EventExpiry;
import dev.konductor.apiserver.serviceaccount.IssuerDiscovery;
import dev.konductor.apiserver.serviceaccount.TokenRequests;
import dev.konductor.apiserver.metrics.MetricsReadings;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import dev.konductor.apiserver.watchcache.WatchCache;
import dev.konductor.apiserver.watchcache.WatchFilter;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API server: REST, watch, discovery and OpenAPI over HTTPS, backed by a
 * {@link dev.konductor.store.Store} through a watch cache.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** Tokens must be meant for this API server: upstream's default {@code --api-audiences} is the issuer. */
    private static final List<String> API_AUDIENCES = List.of(TokenClaims.DEFAULT_ISSUER);

    private final ApiServerConfig config;
    private final ObjectMapper mapper = SharedJsonBuffers.in(new ObjectMapper()); // requests run on virtual threads
    private final ResourceRegistry registry = ResourceRegistry.builtIn();
    private final Clock clock = Clock.systemUTC();
    private WatchCache cache;
    private CustomResourceDefinitions customResources;
    private HttpsServer https;
    private Compactor compactor;
    private EventExpiry eventExpiry;
    private volatile boolean ready;
    private int port;

    public ApiServer(ApiServerConfig config) {
        this.config = config;
    }

    /** Binds the port and starts serving; returns once the server is ready. */
    public void start() {
        long started = System.nanoTime();
        cache = new WatchCache(config.store(), mapper);
        cache.start();
        ObjectStorage storage = new ObjectStorage(config.store(), cache, mapper);
        ApiRules rules = Wiring.rules();
        dev.konductor.apiserver.openapi.OpenApi openApi = new dev.konductor.apiserver.openapi.OpenApi(registry, rules.models());
        var services = type("", "services");
        ServiceAllocator allocator = new ServiceAllocator(
                config.serviceCidr() == null ? ApiServerConfig.DEFAULT_SERVICE_CIDR : config.serviceCidr(),
                config.nodePortRange() == null ? ApiServerConfig.DEFAULT_NODE_PORT_RANGE : config.nodePortRange(),
                () -> cachedList(services));
        String advertise = config.advertiseAddress() == null ? "127.0.0.1" : config.advertiseAddress();
        customResources = new CustomResourceDefinitions(registry, storage, rules, openApi);
        CachedPolicy policy = new CachedPolicy(cache, registry);
        RuleResolver rbac = new RuleResolver(policy);
        Authorizer authorizer = new AuthorizerChain(List.of(new Superusers(),
                new NodeAuthorizer(policy, ComponentRoles.nodeRules()), new RbacAuthorizer(rbac)));
        ApiRouter router = RestApi.create(registry, new Discovery(registry), storage, rules,
                admission(storage, allocator, new EscalationCheck(authorizer, rbac)), Wiring.tables(customResources::columns),
                Wiring.openApi(openApi, mapper), identity(() -> advertise + ":" + port, authorizer),
                componentStatuses(policy), () -> ready, advertise + ":" + config.port(), mapper, config.tls(),
                config.nodeCredentials());
        customResources.start();
        https = new HttpsServer(config.tls(), router);
        try {
            port = https.start(config.bindAddress(), config.port());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        }
        new Bootstrap(storage, registry, mapper).run(allocator.firstIp(), allocator.dnsIp(), allocator::ipTaken, advertise, port);
        new RbacBootstrap(storage, registry).run();
        dropStoredMetrics();
        // the authorizers read the watch cache: a component's first request must find the policy
        if (!cache.waitFresh(10_000)) {
            log.warn("the watch cache has not caught up with the bootstrap policy after 10 s");
        }
        compactor = new Compactor(config.store(), Compactor.DEFAULT_INTERVAL);
        compactor.start();
        eventExpiry = new EventExpiry(cache, config.store(), config.eventTtl(), EventExpiry.DEFAULT_INTERVAL, clock);
        eventExpiry.start();
        ready = true;
        log.info("api server ready port={} startMillis={}", port, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * metrics.k8s.io readings live in this server's memory when it has the store to itself; an
     * earlier Konductor wrote them to the store.
     */
    private void dropStoredMetrics() {
        if (config.store().sharedBetweenServers()) {
            return;
        }
        for (ResourceType type : registry.all()) {
            if (type.group().equals(MetricsReadings.GROUP)) {
                int dropped = MetricsReadings.dropStored(config.store(), Keys.prefix(type));
                if (dropped > 0) {
                    log.info("dropped {} stored {} readings: they are kept in memory now", dropped, type.kind());
                }
            }
        }
    }

    /**
     * Upstream's default admission plugins that Konductor implements, in upstream's order, after
     * RBAC's escalation check (upstream's RBAC storage makes it before admission).
     */
    private List<Admission> admission(ObjectStorage storage, ServiceAllocator allocator, EscalationCheck escalation) {
        var namespaces = type("", "namespaces");
        var serviceAccounts = type("", "serviceaccounts");
        var resourceQuotas = type("", "resourcequotas");
        var priorityClasses = type("scheduling.k8s.io", "priorityclasses");
        var storageClasses = type("storage.k8s.io", "storageclasses");
        var ingressClasses = type("networking.k8s.io", "ingressclasses");
        return List.of(
                escalation,
                new NamespaceLifecycle(name -> storage.get(namespaces, Keys.key(namespaces, null, name))),
                new ServiceAccountAdmission((namespace, name) -> {
                    CachedObject sa = storage.get(serviceAccounts, Keys.key(serviceAccounts, namespace, name));
                    return sa == null ? null : sa.object();
                }),
                new NodeRestriction(),
                new PriorityAdmission(name -> {
                    CachedObject pc = storage.get(priorityClasses, Keys.key(priorityClasses, null, name));
                    return pc == null ? null : pc.object();
                }, () -> cachedList(priorityClasses)),
                new DefaultTolerationSeconds(300),
                new DefaultStorageClass(() -> cachedList(storageClasses)),
                new DefaultIngressClass(() -> cachedList(ingressClasses)),
                allocator,
                new ResourceQuotaAdmission(new ResourceQuotaAdmission.Quotas() {
                    @Override
                    public List<CachedObject> list(String namespace) {
                        cache.waitFresh(3_000);
                        return cache.resource(Keys.prefix(resourceQuotas)).list(new WatchFilter(namespace, null, o -> true));
                    }

                    @Override
                    public CachedObject replace(CachedObject current, ObjectNode updated) {
                        return storage.update(current.key(), updated, current.modRevision());
                    }
                }, clock));
    }

    /**
     * Who may call: client certificates, the configured static tokens and service account
     * tokens signed with this cluster's key; and the TokenRequest and issuer discovery that go
     * with the latter.
     */
    private Identity identity(java.util.function.Supplier<String> externalAddress, Authorizer authorizer) {
        SigningKey key = config.serviceAccountKey();
        if (key == null) {
            key = SigningKey.generate();
            log.info("no service account key configured: tokens issued by this server die with it kid={}", key.keyId());
        }
        ObjectLookup lookup = this::cachedGet;
        TokenVerifier verifier = new TokenVerifier(TokenClaims.DEFAULT_ISSUER, List.of(key.publicOnly()), clock);
        RequestAuthenticator authenticator = new RequestAuthenticator(List.of(new StaticTokens(config.tokens()),
                new ServiceAccountTokenAuthenticator(verifier, lookup, clock)), API_AUDIENCES);
        return new Identity(authenticator, authorizer,
                new TokenRequests(key, TokenClaims.DEFAULT_ISSUER, API_AUDIENCES, lookup, clock),
                new IssuerDiscovery(TokenClaims.DEFAULT_ISSUER, externalAddress, List.of(key.publicOnly())));
    }

    /** The scheduler's and controller manager's Leases, and whether the store answers. */
    private ComponentStatuses componentStatuses(CachedPolicy cached) {
        return new ComponentStatuses(cached::kubeSystemLease, () -> {
            try {
                config.store().currentRevision();
                return java.util.Optional.empty();
            } catch (RuntimeException e) {
                return java.util.Optional.of(String.valueOf(e.getMessage()));
            }
        }, clock);
    }

    private ResourceType type(String group, String plural) {
        return registry.byPlural(group, "v1", plural).orElseThrow();
    }

    /** A core/v1 object as the cache has it now (no waiting), or null. */
    private JsonNode cachedGet(String plural, String namespace, String name) {
        ResourceType type = type("", plural);
        CachedObject obj = cache.resource(Keys.prefix(type)).get(Keys.key(type, namespace, name));
        return obj == null ? null : obj.object();
    }

    private List<JsonNode> cachedList(ResourceType type) {
        return cache.resource(Keys.prefix(type)).list(WatchFilter.ALL).stream()
                .map(o -> (JsonNode) o.object()).toList();
    }

    /** The bound HTTPS port (useful with port 0). */
    public int port() {
        return port;
    }

    public boolean ready() {
        return ready;
    }

    @Override
    public void close() {
        ready = false;
        if (compactor != null) {
            compactor.close();
        }
        if (eventExpiry != null) {
            eventExpiry.close();
        }
        if (https != null) {
            https.close();
        }
        if (customResources != null) {
            customResources.close();
        }
        if (cache != null) {
            cache.close();
        }
    }
}
