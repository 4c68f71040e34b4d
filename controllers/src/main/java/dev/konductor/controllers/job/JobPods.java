package dev.konductor.controllers.job;

import dev.konductor.controllers.framework.OwnerRefs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the Job controller knows about its pods: how to make one and how to read one's state. */
final class JobPods {

    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    static final String INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
    static final String INDEX_LABEL = "batch.kubernetes.io/job-completion-index";
    static final String INDEX_ENV = "JOB_COMPLETION_INDEX";
    /** Upstream's name length limit for the hostname label a pod gets. */
    private static final int MAX_HOSTNAME = 63;

    private JobPods() {
    }

    /**
     * A new pod for {@code job} from its template: owned by the Job, tracked by its finalizer,
     * and for Indexed Jobs carrying its completion index (annotation, label, environment,
     * hostname {@code <job>-<index>}). {@code index} is null for NonIndexed Jobs.
     */
    static Pod newPod(Job job, Integer index) {
        PodTemplateSpec template = job.getSpec().getTemplate();
        ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        String jobName = job.getMetadata().getName();
        Map<String, String> labels = new HashMap<>(templateMeta.getLabels() == null ? Map.of() : templateMeta.getLabels());
        Map<String, String> annotations =
                new HashMap<>(templateMeta.getAnnotations() == null ? Map.of() : templateMeta.getAnnotations());
        // the builder copies the template's spec, so the cached Job is never modified
        PodSpec spec = new PodSpecBuilder(template.getSpec()).build();
        String generateName = jobName + "-";
        if (index != null) {
            annotations.put(INDEX_ANNOTATION, index.toString());
            labels.put(INDEX_LABEL, index.toString());
            generateName = jobName + "-" + index + "-";
            if (spec.getHostname() == null || spec.getHostname().isEmpty()) {
                String hostname = jobName + "-" + index;
                spec.setHostname(hostname.length() > MAX_HOSTNAME ? hostname.substring(0, MAX_HOSTNAME) : hostname);
            }
            spec.setContainers(withIndexEnv(spec.getContainers()));
            spec.setInitContainers(withIndexEnv(spec.getInitContainers()));
        }
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName(generateName)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(OwnerRefs.controllerRef(job))
                .withFinalizers(TRACKING_FINALIZER)
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    private static List<Container> withIndexEnv(List<Container> containers) {
        if (containers == null) {
            return null;
        }
        List<Container> out = new ArrayList<>();
        for (Container c : containers) {
            boolean has = c.getEnv() != null && c.getEnv().stream().anyMatch(e -> INDEX_ENV.equals(e.getName()));
            if (has) {
                out.add(c);
                continue;
            }
            EnvVar env = new EnvVarBuilder().withName(INDEX_ENV).withNewValueFrom().withNewFieldRef()
                    .withFieldPath("metadata.annotations['" + INDEX_ANNOTATION + "']").endFieldRef().endValueFrom()
                    .build();
            out.add(new ContainerBuilder(c).addToEnv(env).build());
        }
        return out;
    }

    static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
    }

    static boolean succeeded(Pod pod) {
        return phase(pod).equals("Succeeded");
    }

    static boolean failedPhase(Pod pod) {
        return phase(pod).equals("Failed");
    }

    static boolean terminal(Pod pod) {
        return succeeded(pod) || failedPhase(pod);
    }

    static boolean deleting(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Running or about to: neither finished nor being deleted. */
    static boolean active(Pod pod) {
        return !terminal(pod) && !deleting(pod);
    }

    /** Being deleted but not finished yet (upstream's status.terminating). */
    static boolean terminating(Pod pod) {
        return !terminal(pod) && deleting(pod);
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean tracked(Pod pod) {
        List<String> finalizers = pod.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(TRACKING_FINALIZER);
    }

    /** The completion index in the pod's annotation, or -1 when absent or malformed. */
    static int index(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(INDEX_ANNOTATION);
        if (value == null) {
            return -1;
        }
        try {
            int index = Integer.parseInt(value);
            return index < 0 ? -1 : index;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Counts as a failure: failed, or (unless only failed pods are replaced) deleted before it
     * succeeded, so that pods removed by someone else are not waited for forever.
     */
    static boolean countsAsFailed(Pod pod, Job job) {
        if (failedPhase(pod)) {
            return true;
        }
        if ("Failed".equals(job.getSpec().getPodReplacementPolicy())) {
            return false;
        }
        return deleting(pod) && !succeeded(pod);
    }

    /** Sum of container restarts, for {@code restartPolicy: OnFailure} backoff accounting. */
    static int restarts(Pod pod) {
        if (pod.getStatus() == null) {
            return 0;
        }
        int sum = 0;
        for (var list : List.of(nullToEmpty(pod.getStatus().getContainerStatuses()),
                nullToEmpty(pod.getStatus().getInitContainerStatuses()))) {
            for (var cs : list) {
                sum += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
            }
        }
        return sum;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /**
     * Upstream's order for picking pods to delete: first the ones that cost least to lose
     * (unscheduled, then pending, then not ready), newest first among equals.
     */
    static final Comparator<Pod> DELETE_FIRST = Comparator
            .comparing((Pod p) -> p.getSpec() != null && p.getSpec().getNodeName() != null
                    && !p.getSpec().getNodeName().isEmpty())
            .thenComparing(p -> !phase(p).equals("Pending"))
            .thenComparing(JobPods::ready)
            .thenComparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? ""
                    : p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder());
}
