package dev.konductor.controllers.namespace;

import dev.konductor.controllers.framework.ApiDiscovery;
import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass over a terminating namespace's content, as upstream's namespaced-resources deleter
 * does it: discover every namespaced resource type that supports list and delete, delete its
 * objects (deletecollection where served, else one by one, background propagation), then list
 * what is left. Content that is still going away gracefully (pods within their grace period,
 * objects with finalizers) yields an estimate of how long to wait; content that should be gone
 * but is not is an error.
 */
final class NamespaceDeleter {

    /** Upstream's guess of how long finalizers take: look again after about half of it. */
    static final long FINALIZER_ESTIMATE_SECONDS = 15;

    private final NamespaceContent content;

    NamespaceDeleter(NamespaceContent content) {
        this.content = content;
    }

    /**
     * What a pass found.
     *
     * @param estimateSeconds how long content may still take to go away gracefully (0: it should be gone)
     * @param errors          what went wrong, one message per failure
     */
    record Outcome(long estimateSeconds, DeletionConditions.Findings findings, List<String> errors) {

        /** True when the namespace holds nothing more and may be finalized. */
        boolean empty() {
            return estimateSeconds == 0 && errors.isEmpty();
        }
    }

    /**
     * What remains of one resource type after its deletion; {@code unexpected} says why when
     * objects remain that should already be gone (no grace period or finalizer explains them).
     */
    private record Remaining(long estimateSeconds, int count, Map<String, Integer> finalizers, String unexpected) {
        static final Remaining NONE = new Remaining(0, 0, Map.of(), null);
    }

    Outcome deleteAllContent(String namespace, Instant deletedAt, Instant now) {
        List<String> errors = new ArrayList<>();
        String discoveryFailure = null;
        int failingGroups = 0;
        List<ApiResource> resources = List.of();
        try {
            ApiDiscovery.Result discovered = content.discover();
            resources = discovered.resources();
            if (!discovered.failedGroups().isEmpty()) {
                discoveryFailure = discovered.failureMessage();
                failingGroups = discovered.failedGroups().size();
                errors.add(discoveryFailure);
            }
        } catch (RuntimeException e) {
            discoveryFailure = message(e);
            errors.add(discoveryFailure);
        }
        String groupVersionFailure = null;
        List<ApiResource> deletable = new ArrayList<>();
        for (ApiResource r : resources) {
            if (!r.namespaced() || !r.supports("list", "delete")) {
                continue;
            }
            if (r.version().isEmpty() || r.version().contains("/")) {
                groupVersionFailure = "unexpected GroupVersion string: " + r.apiVersion();
                errors.add(groupVersionFailure);
                continue;
            }
            deletable.add(r);
        }
        long estimate = 0;
        List<String> contentErrors = new ArrayList<>();
        Map<String, Integer> remaining = new LinkedHashMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        for (ApiResource r : deletable) {
            Remaining left;
            try {
                left = deleteAll(r, namespace, deletedAt, now);
            } catch (RuntimeException e) {
                left = Remaining.NONE;
                contentErrors.add(message(e));
            }
            if (left.unexpected() != null) {
                contentErrors.add(left.unexpected());
            }
            estimate = Math.max(estimate, left.estimateSeconds());
            if (left.count() > 0) {
                remaining.put(r.groupResource(), left.count());
                left.finalizers().forEach((f, n) -> finalizers.merge(f, n, Integer::sum));
            }
        }
        errors.addAll(contentErrors);
        return new Outcome(estimate, new DeletionConditions.Findings(discoveryFailure, failingGroups,
                groupVersionFailure, contentErrors, remaining, finalizers), errors);
    }

    private Remaining deleteAll(ApiResource r, String namespace, Instant deletedAt, Instant now) {
        long estimate = estimateGracefulTermination(r, namespace, deletedAt, now);
        boolean collectionDeleted = r.supports("deletecollection") && content.deleteCollection(r, namespace);
        if (!collectionDeleted) {
            List<GenericKubernetesResource> items = content.list(r, namespace);
            if (items != null) {
                for (GenericKubernetesResource item : items) {
                    content.delete(r, namespace, item.getMetadata().getName());
                }
            }
        }
        List<GenericKubernetesResource> left = content.list(r, namespace);
        if (left == null) {
            return new Remaining(estimate, 0, Map.of(), null);
        }
        if (left.isEmpty()) {
            return Remaining.NONE;
        }
        Map<String, Integer> finalizers = new TreeMap<>();
        for (GenericKubernetesResource item : left) {
            List<String> fs = item.getMetadata().getFinalizers();
            if (fs != null) {
                fs.forEach(f -> finalizers.merge(f, 1, Integer::sum));
            }
        }
        if (estimate > 0) {
            return new Remaining(estimate, left.size(), finalizers, null);
        }
        if (!finalizers.isEmpty()) {
            return new Remaining(FINALIZER_ESTIMATE_SECONDS, left.size(), finalizers, null);
        }
        return new Remaining(0, left.size(), finalizers, "unexpected items still remain in namespace: " + namespace
                + " for gvr: " + r.gvrString());
    }

    /**
     * For pods, the longest grace period among those not finished, unless that much time has
     * already passed since the namespace was deleted; 0 for everything else.
     */
    private long estimateGracefulTermination(ApiResource r, String namespace, Instant deletedAt, Instant now) {
        if (!r.group().isEmpty() || !r.plural().equals("pods")) {
            return 0;
        }
        List<GenericKubernetesResource> pods = content.list(r, namespace);
        long estimate = 0;
        if (pods != null) {
            for (GenericKubernetesResource pod : pods) {
                Object phase = pod.get("status", "phase");
                if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                    continue;
                }
                if (pod.get("spec", "terminationGracePeriodSeconds") instanceof Number grace) {
                    estimate = Math.max(estimate, grace.longValue());
                }
            }
        }
        return Duration.between(deletedAt, now).getSeconds() >= estimate ? 0 : estimate;
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
