package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.apiserver.TlsMaterial;
import dev.konductor.apiserver.admission.Admission;
import dev.konductor.apiserver.admission.NamespaceLifecycle;
import dev.konductor.apiserver.componentstatus.ComponentStatuses;
import dev.konductor.apiserver.discovery.Discovery;
import dev.konductor.apiserver.metrics.MetricsReadings;
import dev.konductor.apiserver.nodejoin.NodeCredentialIssuer;
import dev.konductor.apiserver.nodejoin.NodeCredentialsEndpoint;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import java.time.InstantSource;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Assembles the REST layer's handlers into the router. */
public final class RestApi {

    /** Upstream's default {@code --min-request-timeout}; the system property of that name overrides it. */
    public static final long DEFAULT_MIN_REQUEST_TIMEOUT_S = 1_800;

    private RestApi() {
    }

    public static ApiRouter create(ResourceRegistry registry, Discovery discovery, ObjectStorage storage,
                                   ApiRules rules, List<Admission> admission, Output.TableRenderer tables,
                                   ApiRouter.OpenApiEndpoint openApi, Identity identity,
                                   ComponentStatuses componentStatuses, BooleanSupplier ready,
                                   String advertiseAddress, ObjectMapper mapper, TlsMaterial tls,
                                   NodeCredentialIssuer nodeCredentials) {
        Responses responses = new Responses(mapper);
        BodyDecoder decoder = new BodyDecoder(mapper, rules);
        Output output = new Output(rules, responses, tables);
        ObjectWriter writer = new ObjectWriter(storage, rules, admission);
        Deleter deleter = new Deleter(storage, writer);
        ResourceHandler resources = new ResourceHandler(storage, rules, writer, decoder, output, deleter);
        PatchHandler patches = new PatchHandler(storage, rules, writer, decoder, output, resources);
        ListWatchHandler lists = new ListWatchHandler(storage, output, mapper, Long.getLong(
                "konductor.apiserver.minRequestTimeoutSeconds", DEFAULT_MIN_REQUEST_TIMEOUT_S));
        ResourceType nodeType = registry.byPlural("", "v1", "nodes").orElseThrow();
        KubeletClient kubelets = new KubeletClient(tls);
        SubresourceHandler subresources = new SubresourceHandler(storage, rules, writer, decoder, output, resources, patches,
                deleter, registry.byKind(new GroupVersionKind("policy", "v1", "PodDisruptionBudget")).orElseThrow(),
                new PodLogs(storage, nodeType, kubelets), new PodStreams(storage, nodeType, kubelets),
                identity.tokenRequests());
        // servers sharing an etcd keep the readings in it, so that each serves every node's
        ResourceType namespaces = registry.byPlural("", "v1", "namespaces").orElseThrow();
        MetricsHandler metrics = storage.store().sharedBetweenServers() ? null : new MetricsHandler(
                new MetricsReadings(InstantSource.system()), decoder, output,
                new NamespaceLifecycle(name -> storage.get(namespaces, Keys.key(namespaces, null, name))));
        if (metrics != null) {
            MetricsHandler.describeIn(registry);
        }
        return new ApiRouter(registry, discovery, responses, resources, patches, lists, subresources, openApi, identity,
                decoder, new ComponentStatusHandler(componentStatuses, output), metrics, ready, advertiseAddress,
                tls == null ? null : tls.clientCa(),
                nodeCredentials == null ? null : new NodeCredentialsEndpoint(nodeCredentials, mapper));
    }
}
