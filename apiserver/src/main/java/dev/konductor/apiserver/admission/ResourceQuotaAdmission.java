package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.quota.Amount;
import dev.konductor.api.quota.QuotaUsage;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's ResourceQuota admission: refuses a create (or a growing update) that would take a
 * namespace past one of its quotas (403 {@code exceeded quota: q, requested: ..., used: ...,
 * limited: ...}), refuses pods that leave out the cpu or memory values a quota constrains
 * ({@code failed quota: q: must specify ...}), and charges what it admits to the quota's
 * {@code status.used} at once.
 *
 * <p>The charge is a compare-and-swap write of the ResourceQuota, so concurrent creates, on this
 * server or another, can never both spend the same headroom: whoever loses the swap re-reads the
 * quota and checks again. Requests within this server also queue per namespace to keep those
 * retries rare. As upstream, a charge for an object whose write then fails is not given back
 * here; the quota controller's next recalculation corrects it.
 */
public final class ResourceQuotaAdmission implements Admission {

    private static final int ATTEMPTS = 20;

    /** Access to the ResourceQuota objects, consistent with the store. */
    public interface Quotas {
        /** Every ResourceQuota in {@code namespace}, as of now. */
        List<CachedObject> list(String namespace);

        /** Writes {@code updated} over {@code current} if it is unchanged; null when it changed meanwhile. */
        CachedObject replace(CachedObject current, ObjectNode updated);
    }

    private final Quotas quotas;
    private final Clock clock;
    private final Map<String, Object> namespaceLocks = new ConcurrentHashMap<>();

    public ResourceQuotaAdmission(Quotas quotas, Clock clock) {
        this.quotas = quotas;
        this.clock = clock;
    }

    @Override
    public boolean afterValidation() {
        return true;
    }

    @Override
    public void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request) {
        if (operation == Operation.DELETE || !type.namespaced()
                || !QuotaUsage.handles(type.group(), type.plural(), operation == Operation.CREATE)) {
            return;
        }
        String namespace = obj.path("metadata").path("namespace").asText();
        if (quotas.list(namespace).isEmpty()) {
            return; // nothing to charge: writes to a namespace without quota do not queue for its lock
        }
        synchronized (namespaceLocks.computeIfAbsent(namespace, n -> new Object())) {
            Set<String> charged = new HashSet<>();
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                List<CachedObject> all = quotas.list(namespace).stream()
                        .filter(q -> !charged.contains(q.object().path("metadata").path("name").asText())).toList();
                List<Charge> charges = check(all, operation, type, obj, old);
                if (request.dryRun()) {
                    return;
                }
                boolean conflict = false;
                for (Charge charge : charges) {
                    if (quotas.replace(charge.quota(), charge.updated()) == null) {
                        conflict = true;
                    } else {
                        charged.add(charge.quota().object().path("metadata").path("name").asText());
                    }
                }
                if (!conflict) {
                    return;
                }
            }
            throw StatusException.conflict(type.group(), type.plural(), obj.path("metadata").path("name").asText(),
                    "Operation cannot be fulfilled: the resource quotas in namespace " + namespace
                            + " kept changing; please try again");
        }
    }

    private record Charge(CachedObject quota, ObjectNode updated) {
    }

    /** Checks every quota first, so a refusal by one charges none; returns the quota writes to make. */
    private List<Charge> check(List<CachedObject> all, Operation operation, ResourceType type, ObjectNode obj,
                               ObjectNode old) {
        String group = type.group();
        String resource = type.plural();
        String name = obj.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
            name = obj.path("metadata").path("generateName").asText("");
        }
        Map<String, Amount> input = QuotaUsage.usage(group, resource, obj, clock.instant());
        List<Charge> charges = new ArrayList<>();
        for (CachedObject cached : all) {
            JsonNode quota = cached.object();
            String quotaName = quota.path("metadata").path("name").asText();
            if (!QuotaUsage.inScope(quota.path("spec"), group, resource, obj)) {
                continue;
            }
            Map<String, Amount> hard = amounts(quota.path("status").path("hard"));
            Set<String> restricted = QuotaUsage.matchingResources(group, resource, hard.keySet());
            if (restricted.isEmpty()) {
                continue;
            }
            if (group.isEmpty() && resource.equals("pods")) {
                QuotaUsage.missingRequired(restricted, obj).ifPresent(problem -> {
                    throw StatusException.forbidden(group, resource, nameOf(obj),
                            "failed quota: " + quotaName + ": " + problem);
                });
            }
            Map<String, Amount> used = amounts(quota.path("status").path("used"));
            if (!used.keySet().containsAll(restricted)) {
                throw StatusException.forbidden(group, resource, nameOf(obj), "status unknown for quota: " + quotaName
                        + ", resources: " + String.join(",", restricted));
            }
            Map<String, Amount> delta = input;
            if (operation == Operation.UPDATE && old != null && QuotaUsage.inScope(quota.path("spec"), group, resource, old)) {
                delta = nonNegativeDifference(input, QuotaUsage.usage(group, resource, old, clock.instant()));
            }
            Map<String, Amount> requested = new TreeMap<>();
            delta.forEach((k, v) -> {
                if (hard.containsKey(k) && !v.isZero()) {
                    requested.put(k, v);
                }
            });
            if (requested.isEmpty()) {
                continue;
            }
            Map<String, Amount> exceededRequested = new TreeMap<>();
            Map<String, Amount> exceededUsed = new TreeMap<>();
            Map<String, Amount> exceededHard = new TreeMap<>();
            ObjectNode updated = quota.deepCopy();
            ObjectNode usedNode = updated.withObject("status").withObject("used");
            for (Map.Entry<String, Amount> e : requested.entrySet()) {
                Amount now = used.get(e.getKey());
                Amount after = now.plus(e.getValue());
                if (after.compareTo(hard.get(e.getKey())) > 0) {
                    exceededRequested.put(e.getKey(), e.getValue());
                    exceededUsed.put(e.getKey(), now);
                    exceededHard.put(e.getKey(), hard.get(e.getKey()));
                }
                usedNode.put(e.getKey(), after.toString());
            }
            if (!exceededRequested.isEmpty()) {
                throw StatusException.forbidden(group, resource, name, "exceeded quota: " + quotaName
                        + ", requested: " + QuotaUsage.render(exceededRequested)
                        + ", used: " + QuotaUsage.render(exceededUsed)
                        + ", limited: " + QuotaUsage.render(exceededHard));
            }
            charges.add(new Charge(cached, updated));
        }
        return charges;
    }

    private static String nameOf(ObjectNode obj) {
        String name = obj.path("metadata").path("name").asText("");
        return name.isEmpty() ? obj.path("metadata").path("generateName").asText("") : name;
    }

    private static Map<String, Amount> nonNegativeDifference(Map<String, Amount> a, Map<String, Amount> b) {
        Map<String, Amount> out = new TreeMap<>();
        a.forEach((k, v) -> {
            Amount d = b.containsKey(k) ? v.minus(b.get(k)) : v;
            if (d.value().signum() > 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    private static Map<String, Amount> amounts(JsonNode list) {
        Map<String, Amount> out = new TreeMap<>();
        list.properties().forEach(e -> {
            try {
                out.put(e.getKey(), Amount.parse(e.getValue().asText()));
            } catch (IllegalArgumentException ignored) {
                // validation keeps malformed quantities out; nothing sensible to enforce otherwise
            }
        });
        return out;
    }
}
