package dev.konductor.controllers.daemonset;

import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.history.Revisions;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pod a DaemonSet puts on one node. Pure. */
final class DaemonPodTemplate {

    private DaemonPodTemplate() {
    }

    /**
     * The DaemonSet's template with the revision hash label (and the template generation, when the
     * DaemonSet has one), the daemon tolerations, and node affinity pinning it to {@code node}; named
     * {@code <ds>-<random>} by the API server and controlled by the DaemonSet.
     */
    static Pod podFor(DaemonSet ds, String node, String hash) {
        PodTemplateSpec template = ds.getSpec().getTemplate();
        ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>();
        if (templateMeta.getLabels() != null) {
            labels.putAll(templateMeta.getLabels());
        }
        labels.put(Revisions.POD_REVISION_LABEL, hash);
        String generation = DaemonSetPlan.templateGeneration(ds);
        if (generation != null) {
            labels.put(DaemonPods.TEMPLATE_GENERATION_LABEL, generation);
        }
        PodSpec templateSpec = template.getSpec();
        PodSpec spec = new PodSpecBuilder(templateSpec)
                .withTolerations(NodeEligibility.withDaemonTolerations(templateSpec))
                .withAffinity(NodeEligibility.pinnedTo(templateSpec.getAffinity(), node))
                .build();
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName(ds.getMetadata().getName() + "-")
                .withNamespace(ds.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(templateMeta.getAnnotations() == null ? null
                        : new LinkedHashMap<>(templateMeta.getAnnotations()))
                .withFinalizers(templateMeta.getFinalizers())
                .withOwnerReferences(OwnerRefs.controllerRef(ds))
                .endMetadata()
                .withSpec(spec)
                .build();
    }
}
