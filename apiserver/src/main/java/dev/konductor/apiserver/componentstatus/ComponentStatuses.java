package dev.konductor.apiserver.componentstatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * core/v1 componentstatuses ({@code kubectl get cs}), deprecated upstream but still in every
 * tutorial: the scheduler, the controller manager and the store ({@code etcd-0}, whatever the
 * backend, as k3s names it), each Healthy with upstream's message {@code ok} or not with the
 * reason. Upstream probes the components' health ports; here they are clients like any other,
 * possibly on other machines, so a component is healthy when its leader holds a Lease it has
 * renewed in time.
 */
public final class ComponentStatuses {

    /** Component name to the kube-system Lease its leader holds. */
    private static final Map<String, String> LEASES = leases();

    private final Function<String, JsonNode> kubeSystemLease;
    private final Supplier<Optional<String>> storeProblem;
    private final Clock clock;

    /**
     * @param kubeSystemLease a Lease in kube-system by name, or null
     * @param storeProblem    why the store cannot be read, or empty when it can
     */
    public ComponentStatuses(Function<String, JsonNode> kubeSystemLease, Supplier<Optional<String>> storeProblem,
                             Clock clock) {
        this.kubeSystemLease = kubeSystemLease;
        this.storeProblem = storeProblem;
        this.clock = clock;
    }

    public List<ObjectNode> list() {
        return List.of(status("scheduler"), status("controller-manager"), status("etcd-0"));
    }

    /** The status of one component, or empty when there is no such component. */
    public Optional<ObjectNode> get(String name) {
        return LEASES.containsKey(name) || name.equals("etcd-0") ? Optional.of(status(name)) : Optional.empty();
    }

    private ObjectNode status(String name) {
        Optional<String> problem = name.equals("etcd-0") ? storeProblem.get() : leaseProblem(LEASES.get(name));
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("kind", "ComponentStatus");
        status.put("apiVersion", "v1");
        ObjectNode meta = status.putObject("metadata");
        meta.put("name", name);
        ObjectNode condition = status.putArray("conditions").addObject();
        condition.put("type", "Healthy");
        condition.put("status", problem.isEmpty() ? "True" : "False");
        if (problem.isEmpty()) {
            condition.put("message", "ok");
        } else {
            condition.put("error", problem.get());
        }
        return status;
    }

    /** Why a component's leader is not known to be alive, or empty when it renewed its Lease in time. */
    Optional<String> leaseProblem(String leaseName) {
        JsonNode lease = kubeSystemLease.apply(leaseName);
        String holder = lease == null ? "" : lease.path("spec").path("holderIdentity").asText("");
        if (holder.isEmpty()) {
            return Optional.of("no leader holds the lease kube-system/" + leaseName);
        }
        JsonNode spec = lease.path("spec");
        try {
            Instant renewed = Instant.parse(spec.path("renewTime").asText());
            Instant expires = renewed.plus(Duration.ofSeconds(spec.path("leaseDurationSeconds").asLong(15)));
            if (clock.instant().isAfter(expires)) {
                return Optional.of("leader " + holder + " last renewed the lease kube-system/" + leaseName + " at "
                        + renewed + "; it expired at " + expires);
            }
            return Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.of("the lease kube-system/" + leaseName + " has no valid renewTime");
        }
    }

    private static Map<String, String> leases() {
        Map<String, String> leases = new LinkedHashMap<>();
        leases.put("scheduler", "kube-scheduler");
        leases.put("controller-manager", "kube-controller-manager");
        return Map.copyOf(leases);
    }
}
