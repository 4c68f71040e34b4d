package dev.konductor.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.admission.NamespaceLifecycle;
import dev.konductor.apiserver.admission.ResourceQuotaAdmission;
import dev.konductor.apiserver.admission.PodAdmission;
import dev.konductor.apiserver.admission.PriorityAdmission;
import dev.konductor.apiserver.admission.ServiceAllocator;
import dev.konductor.apiserver.crd.CustomResourceDefinitions;
import dev.konductor.apiserver.discovery.Discovery;
import dev.konductor.apiserver.http.HttpsServer;
import dev.konductor.apiserver.rest.ApiRouter;
import dev.konductor.apiserver.rest.ApiRules;
import dev.konductor.apiserver.rest.RestApi;
import dev.konductor.apiserver.storage.Compactor;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import dev.konductor.apiserver.watchcache.WatchCache;
import dev.konductor.apiserver.watchcache.WatchFilter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API server: REST, watch, discovery and OpenAPI over HTTPS, backed by a
 * {@link dev.konductor.store.Store} through a watch cache.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final ApiServerConfig config;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ResourceRegistry registry = ResourceRegistry.builtIn();
    private WatchCache cache;
    private CustomResourceDefinitions customResources;
    private HttpsServer https;
    private Compactor compactor;
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
        var namespaces = registry.byPlural("", "v1", "namespaces").orElseThrow();
        var services = registry.byPlural("", "v1", "services").orElseThrow();
        ServiceAllocator allocator = new ServiceAllocator(
                config.serviceCidr() == null ? ApiServerConfig.DEFAULT_SERVICE_CIDR : config.serviceCidr(),
                config.nodePortRange() == null ? ApiServerConfig.DEFAULT_NODE_PORT_RANGE : config.nodePortRange(),
                () -> cache.resource(Keys.prefix(services)).list(
                        dev.konductor.apiserver.watchcache.WatchFilter.ALL).stream()
                        .map(o -> (com.fasterxml.jackson.databind.JsonNode) o.object()).toList());
        var resourceQuotas = registry.byPlural("", "v1", "resourcequotas").orElseThrow();
        var priorityClasses = registry.byPlural("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
        List<Admission> admission = List.of(
                new NamespaceLifecycle(name -> storage.get(namespaces, Keys.key(namespaces, null, name))),
                new PodAdmission(300),
                new PriorityAdmission(name -> {
                    CachedObject pc = storage.get(priorityClasses, Keys.key(priorityClasses, null, name));
                    return pc == null ? null : pc.object();
                }, () -> cache.resource(Keys.prefix(priorityClasses)).list(
                        dev.konductor.apiserver.watchcache.WatchFilter.ALL).stream()
                        .map(o -> (com.fasterxml.jackson.databind.JsonNode) o.object()).toList()),
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
                }, java.time.Clock.systemUTC()));
        String advertise = config.advertiseAddress() == null ? "127.0.0.1" : config.advertiseAddress();
        customResources = new CustomResourceDefinitions(registry, storage, rules, openApi);
        ApiRouter router = RestApi.create(registry, new Discovery(registry, List.of()), storage, rules, admission,
                Wiring.tables(customResources::columns), Wiring.openApi(openApi, mapper), config.tokens(), () -> ready,
                advertise + ":" + config.port(), mapper, config.tls());
        customResources.start();
        https = new HttpsServer(config.tls(), router);
        try {
            port = https.start(config.bindAddress(), config.port());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        }
        new Bootstrap(storage, registry, mapper).run(allocator.firstIp(), allocator.dnsIp(), allocator::ipTaken, advertise, port);
        compactor = new Compactor(config.store(), Compactor.DEFAULT_INTERVAL);
        compactor.start();
        ready = true;
        log.info("api server ready port={} startMillis={}", port, (System.nanoTime() - started) / 1_000_000);
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
