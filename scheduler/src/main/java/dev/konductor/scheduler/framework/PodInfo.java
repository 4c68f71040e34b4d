package dev.konductor.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what the scheduler derives from it once: its requests (effective, with init
 * containers, sidecars and overhead), the non-zero requests used for scoring, host ports and
 * parsed affinity terms. Immutable; the pod object itself is shared with the informer cache and
 * must not be modified. An assumed pod ({@link #assumedOn}) keeps the pod object as the informer
 * last showed it, unbound: {@link #nodeName()} says where the scheduler placed it.
 */
public final class PodInfo {

    /** What a container without a CPU request counts as when spreading by score (upstream's 100m). */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    /** What a container without a memory request counts as when spreading by score (200 MiB). */
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    private final Pod pod;
    private final String nodeName;
    private final String namespace;
    private final String name;
    private final String uid;
    private final Map<String, String> labels;
    private final int priority;
    private final Resources requests;
    private final Resources nonZeroRequests;
    private final List<HostPort> hostPorts;
    private final List<AffinityTerm> requiredAffinity;
    private final List<AffinityTerm> requiredAntiAffinity;
    private final List<AffinityTerm> preferredAffinity;
    private final List<AffinityTerm> preferredAntiAffinity;

    private PodInfo(Pod pod) {
        this.pod = pod;
        this.nodeName = nullToEmpty(pod.getSpec().getNodeName());
        this.namespace = nullToEmpty(pod.getMetadata().getNamespace());
        this.name = pod.getMetadata().getName();
        this.uid = pod.getMetadata().getUid() == null ? namespace + "/" + name : pod.getMetadata().getUid();
        this.labels = pod.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(pod.getMetadata().getLabels());
        this.priority = pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority();
        this.requests = requests(pod, false);
        this.nonZeroRequests = requests(pod, true);
        this.hostPorts = hostPorts(pod);
        Affinity affinity = pod.getSpec().getAffinity();
        var podAffinity = affinity == null ? null : affinity.getPodAffinity();
        var podAntiAffinity = affinity == null ? null : affinity.getPodAntiAffinity();
        this.requiredAffinity = terms(podAffinity == null ? null
                : podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.requiredAntiAffinity = terms(podAntiAffinity == null ? null
                : podAntiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.preferredAffinity = weighted(podAffinity == null ? null
                : podAffinity.getPreferredDuringSchedulingIgnoredDuringExecution());
        this.preferredAntiAffinity = weighted(podAntiAffinity == null ? null
                : podAntiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution());
    }

    /** The same pod with what was derived from it, on {@code node}: no copy of the pod or its requests. */
    private PodInfo(PodInfo other, String nodeName) {
        this.pod = other.pod;
        this.nodeName = nodeName;
        this.namespace = other.namespace;
        this.name = other.name;
        this.uid = other.uid;
        this.labels = other.labels;
        this.priority = other.priority;
        this.requests = other.requests;
        this.nonZeroRequests = other.nonZeroRequests;
        this.hostPorts = other.hostPorts;
        this.requiredAffinity = other.requiredAffinity;
        this.requiredAntiAffinity = other.requiredAntiAffinity;
        this.preferredAffinity = other.preferredAffinity;
        this.preferredAntiAffinity = other.preferredAntiAffinity;
    }

    public static PodInfo of(Pod pod) {
        return new PodInfo(pod);
    }

    /**
     * This pod as the scheduler assumes it once placed on {@code node}, before the binding is
     * seen: copying the pod object to set spec.nodeName cost an eighth of each scheduling cycle.
     */
    public PodInfo assumedOn(String node) {
        return new PodInfo(this, node);
    }

    public Pod pod() {
        return pod;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** namespace/name */
    public String key() {
        return namespace + "/" + name;
    }

    public String uid() {
        return uid;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public int priority() {
        return priority;
    }

    /** The pod's effective requests (what a node must have free). Do not modify. */
    public Resources requests() {
        return requests;
    }

    /** The requests with upstream's defaults for containers that request no CPU or memory. Do not modify. */
    public Resources nonZeroRequests() {
        return nonZeroRequests;
    }

    public List<HostPort> hostPorts() {
        return hostPorts;
    }

    public List<AffinityTerm> requiredAffinity() {
        return requiredAffinity;
    }

    public List<AffinityTerm> requiredAntiAffinity() {
        return requiredAntiAffinity;
    }

    public List<AffinityTerm> preferredAffinity() {
        return preferredAffinity;
    }

    public List<AffinityTerm> preferredAntiAffinity() {
        return preferredAntiAffinity;
    }

    public boolean hasAffinity() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty() || !preferredAffinity.isEmpty()
                || !preferredAntiAffinity.isEmpty();
    }

    /** spec.nodeName, or for an assumed pod the node it was placed on; "" when unbound. */
    public String nodeName() {
        return nodeName;
    }

    public String nominatedNodeName() {
        return pod.getStatus() == null ? "" : nullToEmpty(pod.getStatus().getNominatedNodeName());
    }

    public boolean terminating() {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** When the pod started running (status.startTime), or the epoch if it has not. */
    public Instant startTime() {
        String start = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        return start == null ? Instant.EPOCH : Instant.parse(start);
    }

    @Override
    public String toString() {
        return key();
    }

    /**
     * Effective requests as upstream computes them: the sum of the containers, plus restartable
     * init containers (sidecars) which keep running, and at least the peak of any init
     * container (which runs beside the sidecars started before it); then the pod overhead.
     */
    static Resources requests(Pod pod, boolean nonZero) {
        Resources total = new Resources();
        for (Container c : list(pod.getSpec().getContainers())) {
            total.add(containerRequests(c, nonZero));
        }
        Resources sidecars = new Resources();
        Resources initPeak = new Resources();
        for (Container c : list(pod.getSpec().getInitContainers())) {
            Resources own = containerRequests(c, nonZero);
            if ("Always".equals(c.getRestartPolicy())) {
                total.add(own);
                sidecars.add(own);
                initPeak.max(sidecars);
            } else {
                Resources during = own.copy();
                during.add(sidecars);
                initPeak.max(during);
            }
        }
        total.max(initPeak);
        total.add(pod.getSpec().getOverhead());
        return total;
    }

    private static Resources containerRequests(Container c, boolean nonZero) {
        Map<String, Quantity> requests = c.getResources() == null ? null : c.getResources().getRequests();
        Resources r = Resources.of(requests);
        if (nonZero) {
            if (requests == null || !requests.containsKey(Resources.CPU)) {
                r.set(Resources.CPU, DEFAULT_MILLI_CPU_REQUEST);
            }
            if (requests == null || !requests.containsKey(Resources.MEMORY)) {
                r.set(Resources.MEMORY, DEFAULT_MEMORY_REQUEST);
            }
        }
        return r;
    }

    private static List<HostPort> hostPorts(Pod pod) {
        List<HostPort> ports = new ArrayList<>();
        for (Container c : list(pod.getSpec().getContainers())) {
            for (ContainerPort p : list(c.getPorts())) {
                if (p.getHostPort() != null && p.getHostPort() > 0) {
                    ports.add(new HostPort(p.getHostIP(), p.getProtocol(), p.getHostPort()));
                }
            }
        }
        return List.copyOf(ports);
    }

    private List<AffinityTerm> terms(List<PodAffinityTerm> terms) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        return terms.stream().map(t -> AffinityTerm.of(namespace, t, 0)).toList();
    }

    private List<AffinityTerm> weighted(List<WeightedPodAffinityTerm> terms) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        return terms.stream().filter(t -> t.getPodAffinityTerm() != null)
                .map(t -> AffinityTerm.of(namespace, t.getPodAffinityTerm(), t.getWeight() == null ? 0 : t.getWeight()))
                .toList();
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
