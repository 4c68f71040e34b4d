package dev.konductor.scheduler.framework;

import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.Map;
import java.util.Set;

/**
 * A parsed pod (anti-)affinity term: which pods it selects (namespaces or a namespace selector,
 * and a label selector) and over which topology key.
 *
 * @param weight 0 for required terms, the preference's weight otherwise
 */
public record AffinityTerm(Set<String> namespaces, LabelMatcher namespaceSelector, LabelMatcher selector,
                           String topologyKey, int weight) {

    /**
     * As upstream: with neither namespaces nor a namespace selector the term selects the owning
     * pod's own namespace; a missing namespace selector selects no further namespace.
     */
    static AffinityTerm of(String ownNamespace, PodAffinityTerm term, int weight) {
        boolean noNamespaces = term.getNamespaces() == null || term.getNamespaces().isEmpty();
        Set<String> namespaces = noNamespaces && term.getNamespaceSelector() == null ? Set.of(ownNamespace)
                : noNamespaces ? Set.of() : Set.copyOf(term.getNamespaces());
        return new AffinityTerm(namespaces, LabelMatcher.of(term.getNamespaceSelector()),
                LabelMatcher.of(term.getLabelSelector()), term.getTopologyKey() == null ? "" : term.getTopologyKey(),
                weight);
    }

    /** Whether {@code pod} (whose namespace has {@code namespaceLabels}) is selected by this term. */
    public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
        if (namespaces.contains(pod.namespace()) || namespaceSelector.matches(namespaceLabels)) {
            return selector.matches(pod.labels());
        }
        return false;
    }
}
