package dev.konductor.controllers.endpointslice;

import dev.konductor.controllers.endpoints.ServicePods;
import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.framework.PodReadiness;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Decides which EndpointSlices a Service needs, given the pods it selects and the slices that
 * exist (upstream's slice reconciler, simplified): endpoints are grouped by the ports they
 * serve; an existing slice keeps the endpoints that are still wanted (updated in place) and
 * loses the others; new endpoints fill slices of their port set that have room, then slices left
 * empty, then new slices of at most {@code maxPerSlice}. Empty slices are deleted, except that a
 * Service with no endpoints at all keeps one empty placeholder. Pure: the controller carries the
 * plan out.
 */
final class SlicePlanner {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    static final String ADDRESS_TYPE = "IPv4";
    /** Upstream's --max-endpoints-per-slice default. */
    static final int MAX_ENDPOINTS_PER_SLICE = 100;

    /** The writes that bring the slices to the desired state, to be done in this order. */
    record Plan(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
    }

    /** What makes two endpoints the same for a slice, whatever empty values the model read back. */
    private record EndpointView(List<String> addresses, Boolean ready, Boolean serving, Boolean terminating,
                                String hostname, String nodeName, String zone, String targetKind,
                                String targetNamespace, String targetName, String targetUid) {
    }

    private record PortView(String name, Integer port, String protocol, String appProtocol) {
    }

    /** A slice being planned: the endpoints it will hold and whether that differs from what is stored. */
    private static final class SliceState {
        final EndpointSlice slice;
        Set<PortView> ports;
        List<EndpointPort> portList;
        List<Endpoint> endpoints;
        boolean changed;

        SliceState(EndpointSlice slice, Set<PortView> ports, List<Endpoint> endpoints, boolean changed) {
            this.slice = slice;
            this.ports = ports;
            this.portList = slice.getPorts() == null ? List.of() : slice.getPorts();
            this.endpoints = endpoints;
            this.changed = changed;
        }

        boolean isNew() {
            return slice.getMetadata().getName() == null;
        }
    }

    private final int maxPerSlice;

    SlicePlanner(int maxPerSlice) {
        if (maxPerSlice < 1) {
            throw new IllegalArgumentException("maxPerSlice must be positive: " + maxPerSlice);
        }
        this.maxPerSlice = maxPerSlice;
    }

    /**
     * @param zones       node name to its topology.kubernetes.io/zone label (nodes without one absent)
     * @param existing    the slices this controller manages for the service's name
     * @param triggerTime the annotation value for slices this plan writes, if known
     */
    Plan plan(Service service, List<Pod> pods, Map<String, String> zones, List<EndpointSlice> existing,
              Optional<String> triggerTime) {
        Map<Set<PortView>, Map<String, Endpoint>> wanted = desiredEndpoints(service, pods, zones);
        List<EndpointSlice> delete = new ArrayList<>();
        List<SliceState> states = new ArrayList<>();
        String uid = service.getMetadata().getUid();
        List<EndpointSlice> ordered = new ArrayList<>(existing);
        ordered.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        for (EndpointSlice slice : ordered) {
            if (!ADDRESS_TYPE.equals(slice.getAddressType()) || (uid != null && !OwnerRefs.isControlledBy(slice, uid))) {
                delete.add(slice);
            } else {
                states.add(keepWanted(slice, wanted));
            }
        }
        for (Map.Entry<Set<PortView>, Map<String, Endpoint>> group : wanted.entrySet()) {
            place(service, group.getKey(), group.getValue(), states);
        }
        return write(service, states, delete, triggerTime);
    }

    /**
     * The endpoints of {@code slice} that are still wanted, in their current form; they are
     * taken out of {@code wanted} so that no other slice gets them too.
     */
    private SliceState keepWanted(EndpointSlice slice, Map<Set<PortView>, Map<String, Endpoint>> wanted) {
        Set<PortView> ports = portViews(slice.getPorts());
        Map<String, Endpoint> group = wanted.getOrDefault(ports, new HashMap<>());
        List<Endpoint> kept = new ArrayList<>();
        boolean changed = false;
        for (Endpoint endpoint : endpoints(slice)) {
            if (kept.size() >= maxPerSlice || !group.containsKey(key(endpoint))) {
                changed = true;
                continue;
            }
            Endpoint current = group.remove(key(endpoint));
            changed |= !view(current).equals(view(endpoint));
            kept.add(current);
        }
        return new SliceState(slice, ports, kept, changed);
    }

    /** Puts endpoints not in any slice yet into slices with room, then empty ones, then new ones. */
    private void place(Service service, Set<PortView> ports, Map<String, Endpoint> unplaced, List<SliceState> states) {
        List<Endpoint> leftover = new ArrayList<>(unplaced.values());
        leftover.sort(ENDPOINT_ORDER);
        for (SliceState state : states) {
            if (!state.endpoints.isEmpty() && state.ports.equals(ports)) {
                while (state.endpoints.size() < maxPerSlice && !leftover.isEmpty()) {
                    state.endpoints.add(leftover.removeFirst());
                    state.changed = true;
                }
            }
        }
        List<EndpointPort> portList = ports(ports);
        while (!leftover.isEmpty()) {
            List<Endpoint> chunk = new ArrayList<>(leftover.subList(0, Math.min(maxPerSlice, leftover.size())));
            leftover.subList(0, chunk.size()).clear();
            SliceState target = states.stream().filter(st -> st.endpoints.isEmpty()).findFirst().orElseGet(() -> {
                SliceState fresh = new SliceState(newSlice(service), Set.of(), new ArrayList<>(), true);
                states.add(fresh);
                return fresh;
            });
            target.changed |= !target.ports.equals(ports);
            target.ports = ports;
            target.portList = portList;
            target.endpoints = chunk;
            target.changed = true;
        }
    }

    private Plan write(Service service, List<SliceState> states, List<EndpointSlice> delete,
                       Optional<String> triggerTime) {
        Map<String, String> labels = labels(service);
        boolean noEndpoints = states.stream().allMatch(st -> st.endpoints.isEmpty());
        if (noEndpoints && states.isEmpty()) {
            states.add(new SliceState(newSlice(service), Set.of(), new ArrayList<>(), true));
        }
        List<EndpointSlice> create = new ArrayList<>();
        List<EndpointSlice> update = new ArrayList<>();
        boolean placeholderKept = false;
        for (SliceState state : states) {
            if (state.endpoints.isEmpty()) {
                if (!noEndpoints || placeholderKept) {
                    if (!state.isNew()) {
                        delete.add(state.slice);
                    }
                    continue;
                }
                // the placeholder: no endpoints and no ports, so consumers see "none" explicitly
                placeholderKept = true;
                state.changed |= !state.ports.isEmpty();
                state.portList = List.of();
            }
            EndpointSlice rewritten = rewrite(state.slice, labels, state.endpoints, state.portList, triggerTime);
            if (state.isNew()) {
                create.add(rewritten);
            } else if (state.changed || !Objects.equals(state.slice.getMetadata().getLabels(), labels)) {
                update.add(rewritten);
            }
        }
        return new Plan(create, update, delete);
    }

    private static Map<Set<PortView>, Map<String, Endpoint>> desiredEndpoints(Service service, List<Pod> pods,
                                                                              Map<String, String> zones) {
        Map<Set<PortView>, Map<String, Endpoint>> byPorts = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (!ServicePods.selects(service, pod) || !ServicePods.shouldBeInEndpoints(pod, true)) {
                continue;
            }
            Endpoint endpoint = endpoint(service, pod, zones);
            byPorts.computeIfAbsent(podPorts(service, pod), p -> new HashMap<>()).put(key(endpoint), endpoint);
        }
        return byPorts;
    }

    private static Set<PortView> podPorts(Service service, Pod pod) {
        Set<PortView> ports = new HashSet<>();
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        for (ServicePort servicePort : servicePorts) {
            OptionalInt port = ServicePods.targetPort(pod, servicePort);
            if (port.isPresent()) {
                ports.add(new PortView(servicePort.getName() == null ? "" : servicePort.getName(), port.getAsInt(),
                        ServicePods.protocol(servicePort.getProtocol()), servicePort.getAppProtocol()));
            }
        }
        return ports;
    }

    static Endpoint endpoint(Service service, Pod pod, Map<String, String> zones) {
        boolean serving = PodReadiness.isReady(pod);
        boolean terminating = PodReadiness.isTerminating(pod);
        // ready never says true for a terminating pod, unless the service publishes everything
        boolean ready = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses()) || (serving && !terminating);
        String nodeName = pod.getSpec().getNodeName();
        boolean hasNode = nodeName != null && !nodeName.isEmpty();
        return new EndpointBuilder()
                .withAddresses(ServicePods.ipv4(pod).orElseThrow())
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
                .withHostname(ServicePods.hostname(pod, service).orElse(null))
                .withNodeName(hasNode ? nodeName : null)
                .withZone(hasNode ? zones.get(nodeName) : null)
                .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef()
                .build();
    }

    /** The Service's labels (minus the ones this controller owns) plus the slice's own. */
    static Map<String, String> labels(Service service) {
        Map<String, String> labels = new HashMap<>();
        if (service.getMetadata().getLabels() != null) {
            labels.putAll(service.getMetadata().getLabels());
        }
        labels.remove(HEADLESS_LABEL);
        labels.put(SERVICE_NAME_LABEL, service.getMetadata().getName());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        if (ServicePods.isHeadless(service)) {
            labels.put(HEADLESS_LABEL, "");
        }
        return labels;
    }

    private static EndpointSlice newSlice(Service service) {
        Service typed = new ServiceBuilder(service).withApiVersion("v1").withKind("Service").build();
        return new EndpointSliceBuilder()
                .withNewMetadata().withGenerateName(service.getMetadata().getName() + "-")
                .withNamespace(service.getMetadata().getNamespace())
                .withOwnerReferences(OwnerRefs.controllerRef(typed)).endMetadata()
                .withAddressType(ADDRESS_TYPE).build();
    }

    private static EndpointSlice rewrite(EndpointSlice slice, Map<String, String> labels, List<Endpoint> endpoints,
                                         List<EndpointPort> ports, Optional<String> triggerTime) {
        Map<String, String> annotations = new HashMap<>();
        if (slice.getMetadata().getAnnotations() != null) {
            annotations.putAll(slice.getMetadata().getAnnotations());
        }
        triggerTime.ifPresent(t -> annotations.put(TRIGGER_TIME, t));
        List<Endpoint> sorted = new ArrayList<>(endpoints);
        sorted.sort(ENDPOINT_ORDER);
        return new EndpointSliceBuilder(slice).editMetadata().withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations).endMetadata()
                .withAddressType(ADDRESS_TYPE)
                .withEndpoints(sorted)
                .withPorts(ports)
                .build();
    }

    private static EndpointView view(Endpoint e) {
        var c = e.getConditions();
        var t = e.getTargetRef();
        return new EndpointView(e.getAddresses() == null ? List.of() : e.getAddresses(),
                c == null ? null : c.getReady(), c == null ? null : c.getServing(),
                c == null ? null : c.getTerminating(), e.getHostname(), e.getNodeName(), e.getZone(),
                t == null ? null : t.getKind(), t == null ? null : t.getNamespace(), t == null ? null : t.getName(),
                t == null ? null : t.getUid());
    }

    private static List<Endpoint> endpoints(EndpointSlice slice) {
        return slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
    }

    private static String key(Endpoint endpoint) {
        return endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty() ? ""
                : endpoint.getAddresses().getFirst();
    }

    private static Set<PortView> portViews(List<EndpointPort> ports) {
        Set<PortView> views = new HashSet<>();
        if (ports != null) {
            for (EndpointPort p : ports) {
                views.add(new PortView(p.getName() == null ? "" : p.getName(), p.getPort(),
                        ServicePods.protocol(p.getProtocol()), p.getAppProtocol()));
            }
        }
        return views;
    }

    private static List<EndpointPort> ports(Set<PortView> views) {
        return views.stream().sorted(Comparator.comparing(PortView::name).thenComparing(PortView::port))
                .map(v -> new EndpointPortBuilder().withName(v.name()).withPort(v.port()).withProtocol(v.protocol())
                        .withAppProtocol(v.appProtocol()).build())
                .toList();
    }

    /** Numeric order of dotted quads, so slices list 10.0.0.9 before 10.0.0.10. */
    private static final Comparator<Endpoint> ENDPOINT_ORDER = Comparator.comparing(e -> {
        StringBuilder sortable = new StringBuilder();
        for (String part : key(e).split("\\.")) {
            sortable.append("0".repeat(Math.max(0, 3 - part.length()))).append(part).append('.');
        }
        return sortable.toString();
    });
}
