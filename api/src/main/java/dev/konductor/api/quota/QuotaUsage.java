package dev.konductor.api.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an object costs against a ResourceQuota, as upstream's quota evaluators reckon it: the
 * object count ({@code count/pods}, {@code count/deployments.apps}) for every kind; for pods
 * also {@code pods} and the compute requests and limits while the pod has not finished; for
 * services the node ports and load balancers; for claims the storage requested. Works on the
 * JSON form of objects, so the API server's admission and the quota controller share it.
 */
public final class QuotaUsage {

    /** Resources for which a covering quota makes every container state its value. */
    private static final Set<String> MUST_SPECIFY =
            Set.of("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory");
    private static final Set<String> POD_RESOURCES = Set.of("pods", "count/pods", "cpu", "memory", "ephemeral-storage",
            "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
            "limits.ephemeral-storage");
    private static final Set<String> LEGACY_COUNTS =
            Set.of("services", "configmaps", "secrets", "persistentvolumeclaims", "replicationcontrollers",
                    "resourcequotas");
    private static final String STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/";

    private QuotaUsage() {
    }

    /** {@code count/pods}, {@code count/jobs.batch}: the object-count name of a resource. */
    public static String countName(String group, String resource) {
        return group.isEmpty() ? "count/" + resource : "count/" + resource + "." + group;
    }

    /** Whether an operation on this resource can change usage: creates always, updates for services and claims. */
    public static boolean handles(String group, String resource, boolean create) {
        if (create) {
            return true;
        }
        return group.isEmpty() && (resource.equals("services") || resource.equals("persistentvolumeclaims"));
    }

    /** The quota resource names among {@code names} that objects of this resource consume. */
    public static Set<String> matchingResources(String group, String resource, Collection<String> names) {
        Set<String> out = new TreeSet<>();
        for (String name : names) {
            if (name.equals(countName(group, resource))) {
                out.add(name);
            } else if (!group.isEmpty()) {
                continue;
            } else if (resource.equals("pods") && (POD_RESOURCES.contains(name) || name.startsWith("hugepages-")
                    || name.startsWith("requests.hugepages-") || isExtendedRequest(name))) {
                out.add(name);
            } else if (resource.equals("services") && (name.equals("services") || name.equals("services.nodeports")
                    || name.equals("services.loadbalancers"))) {
                out.add(name);
            } else if (resource.equals("persistentvolumeclaims") && (name.equals("persistentvolumeclaims")
                    || name.equals("requests.storage") || name.contains(STORAGE_CLASS_SUFFIX))) {
                out.add(name);
            } else if (LEGACY_COUNTS.contains(resource) && name.equals(resource)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The resource (group, plural) whose objects consume quota resource {@code name}; empty if unknown. */
    public static Optional<String[]> consumer(String name) {
        if (name.startsWith("count/")) {
            String rest = name.substring("count/".length());
            int dot = rest.indexOf('.');
            return Optional.of(dot < 0 ? new String[] {"", rest} : new String[] {rest.substring(dot + 1), rest.substring(0, dot)});
        }
        if (POD_RESOURCES.contains(name) || name.startsWith("hugepages-") || name.startsWith("requests.")
                && !name.equals("requests.storage") || name.startsWith("limits.")) {
            return Optional.of(new String[] {"", "pods"});
        }
        if (name.startsWith("services")) {
            return Optional.of(new String[] {"", "services"});
        }
        if (name.equals("requests.storage") || name.equals("persistentvolumeclaims") || name.contains(STORAGE_CLASS_SUFFIX)) {
            return Optional.of(new String[] {"", "persistentvolumeclaims"});
        }
        if (LEGACY_COUNTS.contains(name)) {
            return Optional.of(new String[] {"", name});
        }
        return Optional.empty();
    }

    private static boolean isExtendedRequest(String name) {
        if (!name.startsWith("requests.")) {
            return false;
        }
        String resource = name.substring("requests.".length());
        return resource.contains("/") && !resource.contains("kubernetes.io/");
    }

    /** The usage of one object, by quota resource name (zeros left out). */
    public static Map<String, Amount> usage(String group, String resource, JsonNode obj, Instant now) {
        Map<String, Amount> usage = new TreeMap<>();
        usage.put(countName(group, resource), Amount.ONE);
        if (!group.isEmpty()) {
            return usage;
        }
        switch (resource) {
            case "pods" -> podUsage(obj, now, usage);
            case "services" -> serviceUsage(obj, usage);
            case "persistentvolumeclaims" -> claimUsage(obj, usage);
            default -> {
                if (LEGACY_COUNTS.contains(resource)) {
                    usage.put(resource, Amount.ONE);
                }
            }
        }
        usage.values().removeIf(Amount::isZero);
        return usage;
    }

    /** Whether a pod still holds compute quota: not finished, and not past its deletion grace period. */
    public static boolean podCharged(JsonNode pod, Instant now) {
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return false;
        }
        JsonNode meta = pod.path("metadata");
        if (meta.hasNonNull("deletionTimestamp") && meta.hasNonNull("deletionGracePeriodSeconds")) {
            try {
                Instant deleted = Instant.parse(meta.path("deletionTimestamp").asText());
                return !now.isAfter(deleted.plusSeconds(meta.path("deletionGracePeriodSeconds").asLong()));
            } catch (DateTimeParseException e) {
                return true;
            }
        }
        return true;
    }

    private static void podUsage(JsonNode pod, Instant now, Map<String, Amount> usage) {
        if (!podCharged(pod, now)) {
            return;
        }
        usage.put("pods", Amount.ONE);
        Map<String, Amount> requests = podTotals(pod, "requests");
        Map<String, Amount> limits = podTotals(pod, "limits");
        for (Map.Entry<String, Amount> e : requests.entrySet()) {
            String r = e.getKey();
            switch (r) {
                case "cpu", "memory", "ephemeral-storage" -> {
                    usage.put(r, e.getValue());
                    usage.put("requests." + r, e.getValue());
                }
                default -> {
                    if (r.startsWith("hugepages-")) {
                        usage.put(r, e.getValue());
                        usage.put("requests." + r, e.getValue());
                    } else if (r.contains("/") && !r.contains("kubernetes.io/")) {
                        usage.put("requests." + r, e.getValue());
                    }
                }
            }
        }
        for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
            if (limits.containsKey(r)) {
                usage.put("limits." + r, limits.get(r));
            }
        }
    }

    /**
     * A pod's effective requests or limits: the sum over its containers, or the largest init
     * container's value if that is more, plus the pod overhead.
     */
    private static Map<String, Amount> podTotals(JsonNode pod, String kind) {
        Map<String, Amount> sum = new TreeMap<>();
        for (JsonNode c : pod.path("spec").path("containers")) {
            c.path("resources").path(kind).properties().forEach(e -> sum.merge(e.getKey(),
                    amount(e.getValue()), Amount::plus));
        }
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            c.path("resources").path(kind).properties().forEach(e -> sum.merge(e.getKey(),
                    amount(e.getValue()), Amount::max));
        }
        pod.path("spec").path("overhead").properties().forEach(e -> sum.merge(e.getKey(), amount(e.getValue()),
                Amount::plus));
        return sum;
    }

    private static Amount amount(JsonNode value) {
        try {
            return Amount.parse(value.asText());
        } catch (IllegalArgumentException e) {
            return Amount.ZERO;
        }
    }

    private static void serviceUsage(JsonNode svc, Map<String, Amount> usage) {
        usage.put("services", Amount.ONE);
        String type = svc.path("spec").path("type").asText("ClusterIP");
        int ports = svc.path("spec").path("ports").size();
        if (type.equals("NodePort")) {
            usage.put("services.nodeports", Amount.of(ports));
        } else if (type.equals("LoadBalancer")) {
            usage.put("services.loadbalancers", Amount.ONE);
            if (svc.path("spec").path("allocateLoadBalancerNodePorts").asBoolean(true)) {
                usage.put("services.nodeports", Amount.of(ports));
            }
        }
    }

    private static void claimUsage(JsonNode pvc, Map<String, Amount> usage) {
        usage.put("persistentvolumeclaims", Amount.ONE);
        Amount storage = amount(pvc.path("spec").path("resources").path("requests").path("storage"));
        JsonNode allocated = pvc.path("status").path("allocatedResources").path("storage");
        if (!allocated.isMissingNode()) {
            storage = storage.max(amount(allocated));
        }
        usage.put("requests.storage", storage);
        String storageClass = pvc.path("spec").path("storageClassName").asText("");
        if (!storageClass.isEmpty()) {
            usage.put(storageClass + STORAGE_CLASS_SUFFIX + "persistentvolumeclaims", Amount.ONE);
            usage.put(storageClass + STORAGE_CLASS_SUFFIX + "requests.storage", storage);
        }
    }

    /**
     * Whether {@code obj} falls under the quota's scopes ({@code spec.scopes} and
     * {@code spec.scopeSelector}). Only pods have scopes; a scoped quota covers nothing else.
     */
    public static boolean inScope(JsonNode quotaSpec, String group, String resource, JsonNode obj) {
        List<JsonNode> selectors = new ArrayList<>();
        quotaSpec.path("scopes").forEach(s -> selectors.add(JsonNodeFactory.instance.objectNode().put("scopeName", s.asText()).put("operator", "Exists")));
        quotaSpec.path("scopeSelector").path("matchExpressions").forEach(selectors::add);
        if (selectors.isEmpty()) {
            return true;
        }
        if (!group.isEmpty() || !resource.equals("pods")) {
            return false;
        }
        for (JsonNode selector : selectors) {
            if (!podMatchesScope(selector, obj)) {
                return false;
            }
        }
        return true;
    }

    private static boolean podMatchesScope(JsonNode selector, JsonNode pod) {
        JsonNode spec = pod.path("spec");
        return switch (selector.path("scopeName").asText()) {
            case "Terminating" -> spec.hasNonNull("activeDeadlineSeconds") && spec.path("activeDeadlineSeconds").asLong() >= 0;
            case "NotTerminating" -> !(spec.hasNonNull("activeDeadlineSeconds") && spec.path("activeDeadlineSeconds").asLong() >= 0);
            case "BestEffort" -> bestEffort(pod);
            case "NotBestEffort" -> !bestEffort(pod);
            case "PriorityClass" -> {
                String pc = spec.path("priorityClassName").asText("");
                List<String> values = new ArrayList<>();
                selector.path("values").forEach(v -> values.add(v.asText()));
                yield switch (selector.path("operator").asText()) {
                    case "Exists" -> !pc.isEmpty();
                    case "DoesNotExist" -> pc.isEmpty();
                    case "In" -> !pc.isEmpty() && values.contains(pc);
                    case "NotIn" -> pc.isEmpty() || !values.contains(pc);
                    default -> false;
                };
            }
            default -> false;
        };
    }

    private static boolean bestEffort(JsonNode pod) {
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                for (String kind : List.of("requests", "limits")) {
                    JsonNode r = c.path("resources").path(kind);
                    if (r.has("cpu") || r.has("memory")) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Upstream's requirement that a pod covered by a quota on cpu or memory states that value in
     * every container: {@code must specify limits.cpu for: a,b; requests.memory for: a}, or empty.
     */
    public static Optional<String> missingRequired(Collection<String> constrained, JsonNode pod) {
        Set<String> required = new TreeSet<>(constrained);
        required.retainAll(MUST_SPECIFY);
        if (required.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                JsonNode requests = c.path("resources").path("requests");
                JsonNode limits = c.path("resources").path("limits");
                for (String r : required) {
                    boolean has = switch (r) {
                        case "cpu", "requests.cpu" -> requests.has("cpu");
                        case "memory", "requests.memory" -> requests.has("memory");
                        case "limits.cpu" -> limits.has("cpu");
                        default -> limits.has("memory");
                    };
                    if (!has) {
                        missing.computeIfAbsent(r, k -> new TreeSet<>()).add(c.path("name").asText());
                    }
                }
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        missing.forEach((r, containers) -> parts.add(r + " for: " + String.join(",", containers)));
        return Optional.of("must specify " + String.join("; ", parts));
    }

    /** {@code a=1,b=2}: upstream's rendering of a resource list in quota messages, sorted by name. */
    public static String render(Map<String, Amount> list) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(list).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }
}
