package dev.konductor.proxy.servicelb;

import dev.konductor.proxy.CoalescingSync;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A built-in load balancer for {@code type: LoadBalancer} Services, in the manner of k3s's
 * ServiceLB: every Ready node is a load balancer, so a Service's
 * {@code status.loadBalancer.ingress} lists the nodes' addresses (ExternalIP, else InternalIP)
 * and each node's proxy forwards the Service port on them. Services that name a
 * {@code loadBalancerClass} belong to another implementation and are left alone; nodes labelled
 * {@code node.kubernetes.io/exclude-from-external-load-balancers} are left out. A Service that
 * stops being a LoadBalancer loses its ingress.
 *
 * <p>Every instance computes the same answer from the same cluster, so running one beside each
 * node's proxy is safe: they agree instead of fighting.
 */
public final class ServiceLoadBalancer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceLoadBalancer.class);
    public static final String EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Node> nodes;
    private final CoalescingSync sync;

    public ServiceLoadBalancer(KubernetesClient client) {
        this.client = client;
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.nodes = client.nodes().runnableInformer(0);
        this.sync = new CoalescingSync("service-lb", Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofMinutes(5), this::reconcileAll);
    }

    public void start() {
        services.addEventHandler(sync.onEveryChange());
        nodes.addEventHandler(sync.onEveryChange());
        sync.start();
        services.start().thenRun(sync::request);
        nodes.start().thenRun(sync::request);
    }

    public boolean ready() {
        return services.hasSynced() && nodes.hasSynced();
    }

    private void reconcileAll() {
        if (!ready()) {
            return;
        }
        List<String> addresses = nodeAddresses(nodes.getStore().list());
        boolean conflict = false;
        for (Service service : services.getStore().list()) {
            Optional<List<LoadBalancerIngress>> wanted = desiredIngress(service, addresses);
            if (wanted.isEmpty()) {
                continue;
            }
            Service updated = new ServiceBuilder(service).editOrNewStatus().editOrNewLoadBalancer()
                    .withIngress(wanted.get()).endLoadBalancer().endStatus().build();
            try {
                client.services().inNamespace(service.getMetadata().getNamespace()).resource(updated).updateStatus();
                log.info("load balancer ingress set service={}/{} ingress={}", service.getMetadata().getNamespace(),
                        service.getMetadata().getName(), wanted.get().stream().map(LoadBalancerIngress::getIp).toList());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    conflict = true; // a newer version is on its way through the informer
                    log.debug("load balancer status not written service={}/{} code={}", service.getMetadata()
                            .getNamespace(), service.getMetadata().getName(), e.getCode());
                }
            }
        }
        if (conflict) {
            sync.request();
        }
    }

    /**
     * The ingress a Service should have, when it differs from what it has and this controller
     * manages it; empty when nothing is to be written.
     */
    static Optional<List<LoadBalancerIngress>> desiredIngress(Service service, List<String> addresses) {
        if (service.getSpec() == null) {
            return Optional.empty();
        }
        List<LoadBalancerIngress> current = service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null ? List.of()
                : service.getStatus().getLoadBalancer().getIngress();
        List<String> wanted;
        if ("LoadBalancer".equals(service.getSpec().getType())) {
            if (service.getSpec().getLoadBalancerClass() != null) {
                return Optional.empty();
            }
            wanted = addresses;
        } else {
            wanted = List.of();
        }
        List<String> have = current.stream().map(LoadBalancerIngress::getIp).toList();
        if (have.equals(wanted) && current.stream().allMatch(i -> i.getHostname() == null)) {
            return Optional.empty();
        }
        return Optional.of(wanted.stream()
                .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP").build()).toList());
    }

    /** The load-balancer address of every Ready node not excluded, sorted. */
    static List<String> nodeAddresses(Collection<Node> nodes) {
        TreeSet<String> addresses = new TreeSet<>();
        for (Node node : nodes) {
            if (node.getMetadata().getLabels() != null && node.getMetadata().getLabels().containsKey(EXCLUDE_LABEL)) {
                continue;
            }
            if (!ready(node) || node.getStatus().getAddresses() == null) {
                continue;
            }
            addressOfType(node, "ExternalIP").or(() -> addressOfType(node, "InternalIP")).ifPresent(addresses::add);
        }
        return new ArrayList<>(addresses);
    }

    private static boolean ready(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition condition : node.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }

    private static Optional<String> addressOfType(Node node, String type) {
        for (NodeAddress address : node.getStatus().getAddresses()) {
            if (type.equals(address.getType()) && address.getAddress() != null && !address.getAddress().isEmpty()) {
                return Optional.of(address.getAddress());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        sync.close();
        services.close();
        nodes.close();
    }
}
