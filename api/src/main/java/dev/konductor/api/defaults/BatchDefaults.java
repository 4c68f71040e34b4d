package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import java.util.List;

/** Defaults of {@code batch/v1} Jobs and CronJobs. */
final class BatchDefaults {

    static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    private static final String LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
    private static final String LEGACY_JOB_NAME_LABEL = "job-name";

    private BatchDefaults() {
    }

    static void apply(String kind, ObjectNode obj) {
        switch (kind) {
            case "Job" -> job(obj);
            case "CronJob" -> cronJob(obj);
            default -> {
            }
        }
    }

    private static void job(ObjectNode job) {
        ObjectNode spec = ObjectTree.ensureObject(job, "spec");
        // A non-parallel job may leave both unset; a work-queue job sets parallelism only and
        // keeps completions unset.
        if (!ObjectTree.has(spec, "completions") && !ObjectTree.has(spec, "parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        DefaultFields.integer(spec, "parallelism", 1);
        DefaultFields.integer(spec, "backoffLimit", ObjectTree.has(spec, "backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        DefaultFields.string(spec, "completionMode", "NonIndexed");
        DefaultFields.bool(spec, "suspend", false);
        DefaultFields.string(spec, "podReplacementPolicy",
                ObjectTree.has(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        ObjectNode failurePolicy = ObjectTree.object(spec, "podFailurePolicy");
        if (failurePolicy != null) {
            for (ObjectNode rule : ObjectTree.objects(failurePolicy, "rules")) {
                for (ObjectNode pattern : ObjectTree.objects(rule, "onPodConditions")) {
                    DefaultFields.string(pattern, "status", "True");
                }
            }
        }
        ObjectNode template = ObjectTree.ensureObject(spec, "template");
        generateSelector(job, spec, template);
        // Upstream copies the template's labels (by now including the generated ones) onto a Job
        // that has none of its own.
        JsonNode templateLabels = ObjectTree.object(template, "metadata", "labels");
        ObjectNode meta = ObjectTree.ensureObject(job, "metadata");
        if (templateLabels != null && ObjectTree.isEmpty(meta, "labels")) {
            meta.set("labels", templateLabels.deepCopy());
        }
        PodDefaults.template(template);
        ObjectTree.ensureObject(job, "status");
    }

    /**
     * Unless the user manages the selector, select the pods by the Job's uid and label them with
     * it and the Job's name. Needs the uid, so it happens only once the server has assigned one
     * (upstream does it at the same point, in the create strategy).
     */
    private static void generateSelector(ObjectNode job, ObjectNode spec, ObjectNode template) {
        ObjectMetaView meta = ObjectMetaView.of(job);
        if (meta.uid().isEmpty() || Boolean.TRUE.equals(ObjectTree.bool(spec, "manualSelector"))) {
            return;
        }
        ObjectNode labels = ObjectTree.ensureObject(ObjectTree.ensureObject(template, "metadata"), "labels");
        for (String key : List.of(LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL)) {
            if (!labels.has(key)) {
                labels.put(key, meta.name());
            }
        }
        for (String key : List.of(LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL)) {
            if (!labels.has(key)) {
                labels.put(key, meta.uid());
            }
        }
        ObjectNode matchLabels = ObjectTree.ensureObject(ObjectTree.ensureObject(spec, "selector"), "matchLabels");
        if (!matchLabels.has(CONTROLLER_UID_LABEL)) {
            matchLabels.put(CONTROLLER_UID_LABEL, meta.uid());
        }
    }

    private static void cronJob(ObjectNode cj) {
        ObjectNode spec = ObjectTree.ensureObject(cj, "spec");
        DefaultFields.string(spec, "concurrencyPolicy", "Allow");
        DefaultFields.bool(spec, "suspend", false);
        DefaultFields.integer(spec, "successfulJobsHistoryLimit", 3);
        DefaultFields.integer(spec, "failedJobsHistoryLimit", 1);
        // The job template gets the pod defaults but not the Job defaults: upstream defaults
        // JobSpec fields on Job objects only, when the CronJob controller creates them.
        ObjectNode jobTemplate = ObjectTree.ensureObject(spec, "jobTemplate");
        DefaultFields.templateMetadata(jobTemplate);
        PodDefaults.template(ObjectTree.ensureObject(ObjectTree.ensureObject(jobTemplate, "spec"), "template"));
        ObjectTree.ensureObject(cj, "status");
    }
}
