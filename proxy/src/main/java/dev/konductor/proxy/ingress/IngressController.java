package dev.konductor.proxy.ingress;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in Ingress controller ({@code networking.k8s.io/v1}), like the one k3s ships: an
 * HTTP reverse proxy fed by informers on Ingresses, IngressClasses, Services and
 * EndpointSlices, reached only through the API server.
 *
 * <p>It serves the Ingresses of the classes whose controller is {@code konductor.dev/ingress}
 * (it creates the {@code konductor} class, marked default, when absent) and those naming no
 * class. Every change in those objects rebuilds an immutable {@link RouteTable} that requests
 * read without locks, so endpoint changes reach the traffic within milliseconds of the watch
 * event. Served Ingresses get the node's address in {@code status.loadBalancer.ingress}.
 * With HTTPS enabled, certificates come from the {@code spec.tls} secrets, chosen by SNI (see
 * {@link TlsCertificates}).
 */
public final class IngressController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngressController.class);
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    private static final String SLICES_BY_SERVICE = "ingress-slices-by-service";

    private final KubernetesClient client;
    private final IngressSettings settings;
    private final SharedIndexInformer<Ingress> ingresses;
    private final SharedIndexInformer<IngressClass> classes;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final TlsCertificates certificates;
    private final BackendResolver resolver;
    private final IngressStatus status;
    private final AtomicReference<RouteTable<Target>> table = new AtomicReference<>(RouteTable.empty());
    private final Coalescer rebuilds;
    private final Coalescer statusSyncs;
    private final ProxyServer proxy;
    private volatile int httpPort = -1;
    private volatile int httpsPort = -1;
    private volatile boolean routesBuilt;

    public IngressController(KubernetesClient client, IngressSettings settings) {
        this.client = client;
        this.settings = settings;
        this.ingresses = client.network().v1().ingresses().inAnyNamespace().runnableInformer(0);
        this.classes = client.network().v1().ingressClasses().runnableInformer(0);
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        slices.addIndexers(Map.of(SLICES_BY_SERVICE, IngressController::serviceKey));
        this.certificates = settings.httpsPort() >= 0 ? new TlsCertificates(client) : null;
        this.resolver = new BackendResolver(
                (namespace, name) -> Optional.ofNullable(services.getStore().getByKey(namespace + "/" + name)),
                (namespace, name) -> slices.getIndexer().byIndex(SLICES_BY_SERVICE, namespace + "/" + name));
        this.status = new IngressStatus(client, settings.statusAddress());
        this.rebuilds = new Coalescer("ingress-routes", this::rebuild, Duration.ofMillis(200));
        this.statusSyncs = new Coalescer("ingress-status", this::syncStatus, Duration.ofSeconds(1));
        this.proxy = new ProxyServer(this::route, settings);

        ingresses.addEventHandler(onChange(true));
        classes.addEventHandler(onChange(true));
        services.addEventHandler(onChange(false));
        slices.addEventHandler(onChange(false));
    }

    /**
     * Starts the informers and waits (bounded) for their first lists, makes sure the default
     * IngressClass exists, builds the routes, then listens.
     */
    public void start() throws InterruptedException {
        List<CompletableFuture<Void>> started = new ArrayList<>(List.of(ingresses.start().toCompletableFuture(),
                classes.start().toCompletableFuture(), services.start().toCompletableFuture(),
                slices.start().toCompletableFuture()));
        if (certificates != null) {
            started.add(certificates.start(rebuilds::signal));
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException notYet) {
            log.warn("ingress: serving before the caches synced timeoutSeconds={}", SYNC_TIMEOUT.toSeconds());
        }
        ensureDefaultClass();
        rebuild();
        statusSyncs.signal();
        InetSocketAddress http = new InetSocketAddress(settings.bindAddress(), settings.httpPort());
        httpPort = proxy.listenHttp(http);
        if (certificates != null) {
            httpsPort = proxy.listenHttps(new InetSocketAddress(settings.bindAddress(), settings.httpsPort()),
                    certificates);
        }
        log.info("ingress controller listening address={} httpPort={} httpsPort={} class={} controller={} status={}",
                settings.bindAddress().getHostAddress(), httpPort, httpsPort, settings.className(),
                settings.controllerName(), settings.statusAddress());
    }

    /** Ready once it listens with routes built from complete caches. */
    public boolean ready() {
        return httpPort > 0 && routesBuilt && ingresses.hasSynced() && classes.hasSynced() && services.hasSynced()
                && slices.hasSynced() && (certificates == null || certificates.synced());
    }

    /** The bound HTTP port; valid once started. */
    public int httpPort() {
        return httpPort;
    }

    /** The bound HTTPS port, or -1 when HTTPS is off; valid once started. */
    public int httpsPort() {
        return httpsPort;
    }

    private void ensureDefaultClass() {
        if (classes.getStore().getByKey(settings.className()) != null) {
            return;
        }
        try {
            client.network().v1().ingressClasses()
                    .resource(IngressClassRules.defaultClass(settings.className(), settings.controllerName())).create();
            log.info("ingress: created the default IngressClass name={} controller={}", settings.className(),
                    settings.controllerName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                log.warn("ingress: cannot create IngressClass name={}: {}", settings.className(), e.toString());
            }
        }
    }

    private ResourceEventHandler<HasMetadata> onChange(boolean affectsStatus) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata obj) {
                changed();
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                changed();
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
                changed();
            }

            private void changed() {
                rebuilds.signal();
                if (affectsStatus) {
                    statusSyncs.signal();
                }
            }
        };
    }

    private Set<String> servedClasses() {
        return IngressClassRules.servedClasses(classes.getStore().list(), settings.className(),
                settings.controllerName());
    }

    /** Rebuilds the route table (and the certificate table) from the caches. */
    private void rebuild() {
        Set<String> served = servedClasses();
        List<Ingress> ours = ingresses.getStore().list().stream()
                .filter(ingress -> IngressClassRules.serves(ingress, served)).toList();
        Set<String> used = new HashSet<>();
        RouteTable<Target> next = RouteTable.build(ours, (namespace, backend) -> {
            Target target = resolver.resolve(namespace, backend);
            used.add(target.name());
            return target;
        });
        resolver.retainCursors(used);
        table.set(next);
        if (certificates != null) {
            certificates.rebuild(ours);
        }
        routesBuilt = true;
        log.debug("ingress: routes rebuilt ingresses={}", ours.size());
    }

    private void syncStatus() {
        status.sync(ingresses.getStore().list(), servedClasses());
    }

    /** The proxy's routing decision for one request. */
    private Router.Route route(String host, String path) {
        Optional<Target> target = table.get().route(host, path);
        if (target.isEmpty()) {
            return new Router.Reject(404, "404 page not found\n");
        }
        return switch (target.get()) {
            case Target.Endpoints endpoints -> new Router.Forward(endpoints.next(), endpoints.name());
            case Target.Unavailable unavailable -> new Router.Reject(503,
                    "503 service unavailable: " + unavailable.name() + ": " + unavailable.reason() + "\n");
        };
    }

    private static List<String> serviceKey(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(BackendResolver.SERVICE_NAME_LABEL);
        return service == null ? List.of() : List.of(slice.getMetadata().getNamespace() + "/" + service);
    }

    @Override
    public void close() {
        proxy.close();
        rebuilds.close();
        statusSyncs.close();
        ingresses.close();
        classes.close();
        services.close();
        slices.close();
        if (certificates != null) {
            certificates.close();
        }
    }
}
