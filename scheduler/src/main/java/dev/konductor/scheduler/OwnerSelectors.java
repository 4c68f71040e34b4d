package dev.konductor.scheduler;

import dev.konductor.scheduler.framework.LabelMatcher;
import dev.konductor.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The selector upstream's default topology spreading uses for a pod: the combined selectors of
 * the Services, ReplicationControllers, ReplicaSets and StatefulSets in its namespace that select
 * it (null when none does, and then the pod gets no default constraints).
 */
final class OwnerSelectors implements Function<PodInfo, LabelMatcher> {

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<ReplicationController> controllers;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<StatefulSet> statefulSets;

    OwnerSelectors(SharedIndexInformer<Service> services, SharedIndexInformer<ReplicationController> controllers,
                   SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<StatefulSet> statefulSets) {
        this.services = services;
        this.controllers = controllers;
        this.replicaSets = replicaSets;
        this.statefulSets = statefulSets;
    }

    @Override
    public LabelMatcher apply(PodInfo pod) {
        List<LabelMatcher> parts = new ArrayList<>();
        Map<String, String> labels = pod.labels();
        for (Service s : services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.namespace())) {
            addSet(parts, s.getSpec() == null ? null : s.getSpec().getSelector(), labels);
        }
        for (ReplicationController rc : controllers.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.namespace())) {
            addSet(parts, rc.getSpec() == null ? null : rc.getSpec().getSelector(), labels);
        }
        for (ReplicaSet rs : replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.namespace())) {
            addSelector(parts, rs.getSpec() == null ? null : rs.getSpec().getSelector(), labels);
        }
        for (StatefulSet ss : statefulSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.namespace())) {
            addSelector(parts, ss.getSpec() == null ? null : ss.getSpec().getSelector(), labels);
        }
        return parts.isEmpty() ? null : LabelMatcher.all(parts);
    }

    private static void addSet(List<LabelMatcher> parts, Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) {
            return;
        }
        LabelMatcher m = LabelMatcher.ofSet(selector);
        if (m.matches(labels)) {
            parts.add(m);
        }
    }

    private static void addSelector(List<LabelMatcher> parts, LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return;
        }
        boolean empty = (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
        if (empty) {
            return;
        }
        LabelMatcher m = LabelMatcher.of(selector);
        if (m.matches(labels)) {
            parts.add(m);
        }
    }
}
