package dev.konductor.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.RandomIds;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What every cluster has from its first start: the default, kube-system, kube-public and
 * kube-node-lease namespaces, the {@code kubernetes} Service in default pointing at this
 * API server, the system-cluster-critical and system-node-critical PriorityClasses, the
 * {@code kube-dns} Service in kube-system for the cluster DNS, and the default StorageClass
 * {@code standard}, as minikube and k3s ship one.
 */
final class Bootstrap {

    /** The provisioner the controller manager runs ({@code controllers/.../provisioner}). */
    static final String HOSTPATH_PROVISIONER = "konductor.dev/hostpath";

    private final ObjectStorage storage;
    private final ResourceRegistry registry;
    private final ObjectMapper mapper;

    Bootstrap(ObjectStorage storage, ResourceRegistry registry, ObjectMapper mapper) {
        this.storage = storage;
        this.registry = registry;
        this.mapper = mapper;
    }

    void run(String serviceIp, String dnsIp, java.util.function.Predicate<String> ipTaken, String advertiseAddress, int port) {
        for (String ns : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
            ObjectNode namespace = object("v1", "Namespace", ns, null);
            namespace.withObject("metadata").withObject("labels").put("kubernetes.io/metadata.name", ns);
            namespace.withObject("spec").putArray("finalizers").add("kubernetes");
            namespace.withObject("status").put("phase", "Active");
            createIfAbsent("namespaces", namespace);
        }
        ObjectNode service = object("v1", "Service", "kubernetes", "default");
        ObjectNode labels = service.withObject("metadata").withObject("labels");
        labels.put("component", "apiserver");
        labels.put("provider", "kubernetes");
        ObjectNode spec = service.withObject("spec");
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", serviceIp);
        spec.putArray("clusterIPs").add(serviceIp);
        spec.put("sessionAffinity", "None");
        spec.put("internalTrafficPolicy", "Cluster");
        spec.put("ipFamilyPolicy", "SingleStack");
        spec.putArray("ipFamilies").add("IPv4");
        ObjectNode servicePort = spec.putArray("ports").addObject();
        servicePort.put("name", "https");
        servicePort.put("port", 443);
        servicePort.put("protocol", "TCP");
        servicePort.put("targetPort", port);
        service.putObject("status").putObject("loadBalancer");
        createIfAbsent("services", service);

        ObjectNode endpoints = object("v1", "Endpoints", "kubernetes", "default");
        endpoints.withObject("metadata").withObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = endpoints.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", advertiseAddress);
        ObjectNode endpointPort = subset.putArray("ports").addObject();
        endpointPort.put("name", "https");
        endpointPort.put("port", port);
        endpointPort.put("protocol", "TCP");
        createOrReplace("endpoints", endpoints);
        if (dnsIp != null && !ipTaken.test(dnsIp)) {
            createIfAbsent("services", kubeDns(dnsIp));
        }
        priorityClass("system-cluster-critical", 2_000_000_000,
                "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.");
        priorityClass("system-node-critical", 2_000_001_000,
                "Used for system critical pods that must not be moved from their current node.");
        createIfAbsent(registry.byPlural("storage.k8s.io", "v1", "storageclasses").orElseThrow(), standardStorageClass());
    }

    /**
     * Node-local directories, provisioned by the controller manager's hostPath provisioner once the
     * scheduler has picked the node of the first pod using a claim (WaitForFirstConsumer), and
     * removed with their claim.
     */
    private ObjectNode standardStorageClass() {
        ObjectNode sc = object("storage.k8s.io/v1", "StorageClass", "standard", null);
        sc.withObject("metadata").withObject("annotations").put("storageclass.kubernetes.io/is-default-class", "true");
        sc.put("provisioner", HOSTPATH_PROVISIONER);
        sc.put("reclaimPolicy", "Delete");
        sc.put("volumeBindingMode", "WaitForFirstConsumer");
        return sc;
    }

    private void priorityClass(String name, int value, String description) {
        ObjectNode pc = object("scheduling.k8s.io/v1", "PriorityClass", name, null);
        pc.put("value", value);
        pc.put("description", description);
        pc.put("preemptionPolicy", "PreemptLowerPriority");
        createIfAbsent(registry.byPlural("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow(), pc);
    }

    /**
     * The cluster DNS Service at kubeadm's address (the tenth of the service range), with its
     * well-known name and ports. It has no selector: the DNS server runs in the node agents, not in
     * pods, and each node publishes an endpoint on itself. Its internal traffic policy is Local, so
     * a pod always asks its own node's server (as with NodeLocal DNSCache) and a stopped node's
     * endpoint misleads nobody else.
     */
    private ObjectNode kubeDns(String ip) {
        ObjectNode service = object("v1", "Service", "kube-dns", "kube-system");
        ObjectNode labels = service.withObject("metadata").withObject("labels");
        labels.put("k8s-app", "kube-dns");
        labels.put("kubernetes.io/cluster-service", "true");
        labels.put("kubernetes.io/name", "KubeDNS");
        ObjectNode spec = service.withObject("spec");
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        spec.put("sessionAffinity", "None");
        spec.put("internalTrafficPolicy", "Local");
        spec.put("ipFamilyPolicy", "SingleStack");
        spec.putArray("ipFamilies").add("IPv4");
        for (String[] port : new String[][] {{"dns", "UDP"}, {"dns-tcp", "TCP"}}) {
            ObjectNode servicePort = spec.withArray("ports").addObject();
            servicePort.put("name", port[0]);
            servicePort.put("port", 53);
            servicePort.put("protocol", port[1]);
            servicePort.put("targetPort", 53);
        }
        service.putObject("status").putObject("loadBalancer");
        return service;
    }

    private ObjectNode object(String apiVersion, String kind, String name, String namespace) {
        ObjectNode obj = mapper.createObjectNode();
        obj.put("apiVersion", apiVersion);
        obj.put("kind", kind);
        ObjectNode meta = obj.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        meta.put("uid", RandomIds.uid());
        meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return obj;
    }

    private void createIfAbsent(String plural, ObjectNode obj) {
        createIfAbsent(registry.byPlural("", "v1", plural).orElseThrow(), obj);
    }

    private void createIfAbsent(ResourceType type, ObjectNode obj) {
        String key = Keys.key(type, obj.path("metadata").path("namespace").asText(), obj.path("metadata").path("name").asText());
        if (storage.get(type, key) == null) {
            try {
                storage.create(type, key, obj);
            } catch (StatusException alreadyCreatedByAnotherServer) {
                // two servers starting together: either one's object is fine
            }
        }
    }

    /** The endpoints follow this server's address and port, which may change between starts. */
    private void createOrReplace(String plural, ObjectNode obj) {
        ResourceType type = registry.byPlural("", "v1", plural).orElseThrow();
        String key = Keys.key(type, "default", obj.path("metadata").path("name").asText());
        var current = storage.get(type, key);
        if (current == null) {
            createIfAbsent(plural, obj);
        } else if (!current.object().path("subsets").equals(obj.path("subsets"))) {
            ObjectNode updated = current.object().deepCopy();
            updated.set("subsets", obj.get("subsets"));
            storage.update(key, updated, current.modRevision());
        }
    }
}
