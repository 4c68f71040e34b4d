package dev.konductor.controllers.statefulset;

import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.history.Revisions;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A StatefulSet's pods and claims as upstream shapes them: pod {@code <set>-<ordinal>} with the
 * pod-name and pod-index labels, hostname and subdomain from serviceName, and one volume per
 * claim template bound to the claim {@code <template>-<set>-<ordinal>}. Pure functions.
 */
final class StatefulPods {

    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    private static final Pattern ORDINAL_NAME = Pattern.compile("^(.*)-([0-9]+)$");

    private StatefulPods() {
    }

    /** The parent name and ordinal a pod's name encodes, or -1 if it encodes none. */
    static int ordinal(Pod pod) {
        Matcher m = ORDINAL_NAME.matcher(pod.getMetadata().getName());
        if (!m.matches()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** True if the pod's name says it belongs to {@code set} ({@code <set>-<ordinal>}). */
    static boolean isMemberOf(StatefulSet set, Pod pod) {
        Matcher m = ORDINAL_NAME.matcher(pod.getMetadata().getName());
        return m.matches() && m.group(1).equals(set.getMetadata().getName());
    }

    static String podName(StatefulSet set, int ordinal) {
        return set.getMetadata().getName() + "-" + ordinal;
    }

    static String claimName(StatefulSet set, PersistentVolumeClaim template, int ordinal) {
        return template.getMetadata().getName() + "-" + podName(set, ordinal);
    }

    static int startOrdinal(StatefulSet set) {
        return set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null ? 0
                : set.getSpec().getOrdinals().getStart();
    }

    static int replicas(StatefulSet set) {
        return set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    }

    static String revision(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? "" : labels.getOrDefault(Revisions.POD_REVISION_LABEL, "");
    }

    /** The pod for {@code ordinal} from {@code template}, labelled with {@code revisionName}. */
    static Pod newPod(StatefulSet set, PodTemplateSpec template, String revisionName, int ordinal) {
        ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        String name = podName(set, ordinal);
        Map<String, String> labels = new LinkedHashMap<>();
        if (templateMeta.getLabels() != null) {
            labels.putAll(templateMeta.getLabels());
        }
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        labels.put(Revisions.POD_REVISION_LABEL, revisionName);
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(set.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(templateMeta.getAnnotations() == null ? null
                        : new LinkedHashMap<>(templateMeta.getAnnotations()))
                .withFinalizers(templateMeta.getFinalizers())
                .withOwnerReferences(OwnerRefs.controllerRef(set))
                .endMetadata()
                .withSpec(template.getSpec());
        pod.editSpec().withHostname(name).endSpec();
        String service = set.getSpec().getServiceName();
        if (service != null && !service.isEmpty()) {
            pod.editSpec().withSubdomain(service).endSpec();
        }
        pod.editSpec().withVolumes(volumes(set, template, ordinal)).endSpec();
        return pod.build();
    }

    /** One PVC volume per claim template, then the template's own volumes not shadowed by a claim. */
    private static List<Volume> volumes(StatefulSet set, PodTemplateSpec template, int ordinal) {
        List<Volume> volumes = new ArrayList<>();
        Set<String> claimVolumes = claimTemplates(set).stream().map(c -> c.getMetadata().getName())
                .collect(Collectors.toSet());
        for (PersistentVolumeClaim claimTemplate : claimTemplates(set)) {
            volumes.add(new VolumeBuilder().withName(claimTemplate.getMetadata().getName())
                    .withNewPersistentVolumeClaim().withClaimName(claimName(set, claimTemplate, ordinal))
                    .endPersistentVolumeClaim().build());
        }
        List<Volume> own = template.getSpec() == null || template.getSpec().getVolumes() == null ? List.of()
                : template.getSpec().getVolumes();
        own.stream().filter(v -> !claimVolumes.contains(v.getName())).forEach(volumes::add);
        return volumes;
    }

    static List<PersistentVolumeClaim> claimTemplates(StatefulSet set) {
        return set.getSpec().getVolumeClaimTemplates() == null ? List.of() : set.getSpec().getVolumeClaimTemplates();
    }

    /**
     * The claims the pod with {@code ordinal} needs: each claim template named for the pod, in the
     * set's namespace, labelled with the template's labels and the set's matchLabels.
     */
    static List<PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (PersistentVolumeClaim template : claimTemplates(set)) {
            Map<String, String> labels = new LinkedHashMap<>();
            if (template.getMetadata().getLabels() != null) {
                labels.putAll(template.getMetadata().getLabels());
            }
            if (set.getSpec().getSelector() != null && set.getSpec().getSelector().getMatchLabels() != null) {
                labels.putAll(set.getSpec().getSelector().getMatchLabels());
            }
            claims.add(new PersistentVolumeClaimBuilder(template)
                    .editMetadata()
                    .withName(claimName(set, template, ordinal))
                    .withNamespace(set.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withResourceVersion(null).withUid(null).withCreationTimestamp(null)
                    .endMetadata()
                    .withStatus(null)
                    .build());
        }
        return claims;
    }

    /** True if the pod carries the identity labels of its name. */
    static boolean identityMatches(StatefulSet set, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        String name = pod.getMetadata().getName();
        return isMemberOf(set, pod) && name.equals(labels.get(POD_NAME_LABEL))
                && Integer.toString(ordinal(pod)).equals(labels.get(POD_INDEX_LABEL));
    }

    /** The pod with its identity labels put right. */
    static Pod withIdentity(Pod pod) {
        return new PodBuilder(pod).editMetadata()
                .addToLabels(POD_NAME_LABEL, pod.getMetadata().getName())
                .addToLabels(POD_INDEX_LABEL, Integer.toString(ordinal(pod)))
                .endMetadata().build();
    }

    static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
    }

    static boolean finished(Pod pod) {
        return phase(pod).equals("Failed") || phase(pod).equals("Succeeded");
    }

    static boolean runningAndReady(Pod pod) {
        return phase(pod).equals("Running") && readyCondition(pod).map(c -> "True".equals(c.getStatus()))
                .orElse(false);
    }

    static boolean runningAndAvailable(Pod pod, int minReadySeconds, Instant now) {
        return runningAndReady(pod) && availableAt(pod, minReadySeconds).map(at -> !at.isAfter(now)).orElse(true);
    }

    /** When a ready pod counts as available (ready for minReadySeconds), if that is known. */
    static Optional<Instant> availableAt(Pod pod, int minReadySeconds) {
        if (minReadySeconds <= 0) {
            return Optional.empty();
        }
        return readyCondition(pod).map(PodCondition::getLastTransitionTime).map(Instant::parse)
                .map(since -> since.plusSeconds(minReadySeconds));
    }

    /** Running, ready and not being deleted. */
    static boolean healthy(Pod pod) {
        return runningAndReady(pod) && !terminating(pod);
    }

    private static Optional<PodCondition> readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }
}
