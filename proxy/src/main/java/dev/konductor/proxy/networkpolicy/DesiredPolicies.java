package dev.konductor.proxy.networkpolicy;

import dev.konductor.api.meta.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns NetworkPolicies, Pods and Namespaces into the {@link PolicyModel} of one node, with
 * upstream's semantics:
 * <ul>
 *   <li>a pod is isolated for ingress (egress) once a policy of its namespace selects it with
 *       {@code Ingress} ({@code Egress}) among its {@code policyTypes}; absent types mean
 *       {@code Ingress}, plus {@code Egress} when the policy has egress rules;</li>
 *   <li>what an isolated pod may receive (send) is the union of the ingress (egress) rules of
 *       every policy selecting it; a rule allows traffic from (to) any of its peers (see
 *       {@link PeerSelection}) to any of its ports (see {@link PolicyPorts}); a rule without
 *       peers or without ports leaves that side unrestricted;</li>
 *   <li>named ports resolve on the destination: the isolated pod itself for ingress, each peer
 *       pod for egress (so an egress rule with a named port only reaches pods having it).</li>
 * </ul>
 * Only this node's pods are in the model; peers come from the whole cluster. Pure: the same
 * objects give the same model.
 */
public final class DesiredPolicies {

    private final String nodeName;

    /** @param nodeName the node whose pods the model isolates */
    public DesiredPolicies(String nodeName) {
        this.nodeName = nodeName;
    }

    /** The rules collected for one pod so far. */
    private static final class Collected {
        final ClusterPods.PodView pod;
        boolean ingressIsolated;
        boolean egressIsolated;
        final Set<AllowRule> ingress = new LinkedHashSet<>();
        final Set<AllowRule> egress = new LinkedHashSet<>();

        Collected(ClusterPods.PodView pod) {
            this.pod = pod;
        }

        PodPolicy toPolicy() {
            return new PodPolicy(pod.namespace(), pod.name(), pod.ips(),
                    ingressIsolated ? new Isolation.Isolated(List.copyOf(ingress)) : Isolation.OPEN,
                    egressIsolated ? new Isolation.Isolated(List.copyOf(egress)) : Isolation.OPEN);
        }
    }

    public PolicyModel compute(Collection<NetworkPolicy> policies, Collection<Pod> pods, Collection<Namespace> namespaces) {
        ClusterPods cluster = new ClusterPods(pods, namespaces);
        List<ClusterPods.PodView> local = cluster.onNode(nodeName);
        if (local.isEmpty() || policies.isEmpty()) {
            return PolicyModel.EMPTY;
        }
        List<NetworkPolicy> ordered = new ArrayList<>(policies);
        ordered.sort(Comparator.comparing((NetworkPolicy p) -> p.getMetadata().getNamespace())
                .thenComparing(p -> p.getMetadata().getName()));
        Map<String, Collected> collected = new LinkedHashMap<>();
        for (NetworkPolicy policy : ordered) {
            apply(policy, local, cluster, collected);
        }
        List<PodPolicy> isolated = collected.values().stream().map(Collected::toPolicy)
                .sorted(Comparator.comparing(PodPolicy::key)).toList();
        return new PolicyModel(isolated);
    }

    private static void apply(NetworkPolicy policy, List<ClusterPods.PodView> local, ClusterPods cluster,
                              Map<String, Collected> collected) {
        String namespace = policy.getMetadata().getNamespace();
        NetworkPolicySpec spec = policy.getSpec() == null ? new NetworkPolicySpec() : policy.getSpec();
        LabelSelector selector = Selectors.of(spec.getPodSelector());
        List<ClusterPods.PodView> targets = local.stream()
                .filter(pod -> pod.namespace().equals(namespace) && selector.matches(pod.labels())).toList();
        if (targets.isEmpty()) {
            return;
        }
        List<String> types = policyTypes(spec);
        if (types.contains("Ingress")) {
            List<NetworkPolicyIngressRule> rules = spec.getIngress() == null ? List.of() : spec.getIngress();
            List<PeerSelection> sources = rules.stream()
                    .map(rule -> PeerSelection.of(rule.getFrom(), namespace, cluster)).toList();
            for (ClusterPods.PodView target : targets) {
                Collected pod = collected.computeIfAbsent(target.key(), key -> new Collected(target));
                pod.ingressIsolated = true;
                for (int i = 0; i < rules.size(); i++) {
                    add(pod.ingress, new AllowRule(sources.get(i).peers(),
                            PolicyPorts.resolve(rules.get(i).getPorts(), Optional.of(target))));
                }
            }
        }
        if (types.contains("Egress")) {
            List<AllowRule> allowed = new ArrayList<>();
            for (NetworkPolicyEgressRule rule : spec.getEgress() == null ? List.<NetworkPolicyEgressRule>of() : spec.getEgress()) {
                allowed.addAll(egress(rule, PeerSelection.of(rule.getTo(), namespace, cluster)));
            }
            for (ClusterPods.PodView target : targets) {
                Collected pod = collected.computeIfAbsent(target.key(), key -> new Collected(target));
                pod.egressIsolated = true;
                allowed.forEach(rule -> add(pod.egress, rule));
            }
        }
    }

    /**
     * An egress rule as allow rules: numbered ports apply to every peer address at once; named
     * ports resolve on each destination pod, pods resolving alike sharing one rule.
     */
    private static List<AllowRule> egress(NetworkPolicyEgressRule rule, PeerSelection destinations) {
        List<NetworkPolicyPort> ports = rule.getPorts() == null ? List.of() : rule.getPorts();
        if (!PolicyPorts.hasNamed(ports)) {
            return List.of(new AllowRule(destinations.peers(), PolicyPorts.resolve(ports, Optional.empty())));
        }
        List<AllowRule> rules = new ArrayList<>();
        List<NetworkPolicyPort> numbered = ports.stream().filter(port -> !PolicyPorts.named(port)).toList();
        if (!numbered.isEmpty()) {
            rules.add(new AllowRule(destinations.peers(), PolicyPorts.resolve(numbered, Optional.empty())));
        }
        List<NetworkPolicyPort> named = ports.stream().filter(PolicyPorts::named).toList();
        Map<Ports, List<InetAddress>> byPorts = new LinkedHashMap<>();
        for (ClusterPods.PodView pod : destinations.pods()) {
            Ports resolved = PolicyPorts.resolve(named, Optional.of(pod));
            if (!resolved.none()) {
                byPorts.computeIfAbsent(resolved, key -> new ArrayList<>()).addAll(pod.ips());
            }
        }
        byPorts.forEach((resolved, ips) -> rules.add(new AllowRule(new Peers.Only(AddressRanges.of(ips)), resolved)));
        return rules;
    }

    /** Upstream's defaulting, in case an object was stored without it. */
    static List<String> policyTypes(NetworkPolicySpec spec) {
        if (spec.getPolicyTypes() != null && !spec.getPolicyTypes().isEmpty()) {
            return spec.getPolicyTypes();
        }
        boolean egress = spec.getEgress() != null && !spec.getEgress().isEmpty();
        return egress ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private static void add(Set<AllowRule> rules, AllowRule rule) {
        if (!rule.allowsNothing()) {
            rules.add(rule);
        }
    }
}
