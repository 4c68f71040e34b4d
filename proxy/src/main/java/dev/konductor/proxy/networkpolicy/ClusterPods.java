package dev.konductor.proxy.networkpolicy;

import dev.konductor.api.meta.LabelSelector;
import dev.konductor.proxy.model.IpLiterals;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The pods policies can talk about, indexed for one sync: every pod of the cluster that has an
 * address of its own, with its namespace's labels.
 *
 * <p>As upstream plugins do, a pod counts only while it has IPs and is not finished
 * ({@code Succeeded}/{@code Failed}: its address may already belong to a new pod), and never
 * with {@code hostNetwork} (its address is the node's: policies neither isolate it nor select it
 * as a peer).
 */
final class ClusterPods {

    /** A pod that counts, with what policies look at. */
    record PodView(String namespace, String name, String nodeName, Map<String, String> labels,
                   List<InetAddress> ips, List<ContainerPort> ports) {

        String key() {
            return namespace + "/" + name;
        }
    }

    private final List<PodView> pods;
    private final Map<String, List<PodView>> byNamespace = new HashMap<>();
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();

    ClusterPods(Collection<Pod> pods, Collection<Namespace> namespaces) {
        List<PodView> views = new ArrayList<>();
        for (Pod pod : pods) {
            view(pod).ifPresent(views::add);
        }
        views.sort(Comparator.comparing(PodView::key));
        this.pods = List.copyOf(views);
        for (PodView view : this.pods) {
            byNamespace.computeIfAbsent(view.namespace(), ns -> new ArrayList<>()).add(view);
        }
        for (Namespace namespace : namespaces) {
            Map<String, String> labels = namespace.getMetadata().getLabels();
            namespaceLabels.put(namespace.getMetadata().getName(), labels == null ? Map.of() : labels);
        }
    }

    List<PodView> all() {
        return pods;
    }

    List<PodView> inNamespace(String namespace) {
        return byNamespace.getOrDefault(namespace, List.of());
    }

    List<PodView> onNode(String nodeName) {
        return pods.stream().filter(pod -> nodeName.equals(pod.nodeName())).toList();
    }

    /**
     * The labels of {@code namespace}; the API server always sets
     * {@code kubernetes.io/metadata.name}, and a namespace not (yet) in the cache gets just that.
     */
    Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of("kubernetes.io/metadata.name", namespace));
    }

    /** The pods in namespaces whose labels {@code namespaces} matches and whose own labels {@code pods} matches. */
    List<PodView> select(LabelSelector namespaces, LabelSelector pods) {
        List<PodView> out = new ArrayList<>();
        for (Map.Entry<String, List<PodView>> entry : byNamespace.entrySet()) {
            if (namespaces.matches(namespaceLabels(entry.getKey()))) {
                entry.getValue().stream().filter(pod -> pods.matches(pod.labels())).forEach(out::add);
            }
        }
        out.sort(Comparator.comparing(PodView::key));
        return out;
    }

    private static Optional<PodView> view(Pod pod) {
        if (pod.getSpec() == null || Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return Optional.empty();
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return Optional.empty();
        }
        List<InetAddress> ips = ips(pod);
        if (ips.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> labels = pod.getMetadata().getLabels();
        List<ContainerPort> ports = Stream.concat(containers(pod.getSpec().getContainers()),
                        containers(pod.getSpec().getInitContainers()))
                .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream()).toList();
        return Optional.of(new PodView(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                pod.getSpec().getNodeName(), labels == null ? Map.of() : labels, ips, ports));
    }

    private static Stream<Container> containers(List<Container> containers) {
        return containers == null ? Stream.empty() : containers.stream();
    }

    /** {@code status.podIPs}, or the older single {@code status.podIP}; each once. */
    private static List<InetAddress> ips(Pod pod) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        Set<InetAddress> ips = new LinkedHashSet<>();
        if (pod.getStatus().getPodIPs() != null) {
            for (PodIP ip : pod.getStatus().getPodIPs()) {
                IpLiterals.parse(ip.getIp()).ifPresent(ips::add);
            }
        }
        IpLiterals.parse(pod.getStatus().getPodIP()).ifPresent(ips::add);
        return List.copyOf(ips);
    }
}
