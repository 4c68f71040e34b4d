package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.LabelSelector;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.meta.SelectorParseException;
import dev.konductor.api.status.FieldError;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validation of batch/v1 Jobs and CronJobs. */
final class BatchValidation {

    /** CronJob names leave room for the 11-character suffix of the Jobs they create. */
    static final int CRON_JOB_NAME_MAX = 52;
    private static final Pattern TIME_ZONE_PART = Pattern.compile("[A-Za-z._+\\-0-9]+");

    private BatchValidation() {
    }

    static void job(List<FieldError> errs, ObjectNode job) {
        ObjectNode spec = ObjectTree.object(job, "spec");
        jobSpec(errs, spec == null ? job.objectNode() : spec, FieldPath.of("spec"));
    }

    static void jobSpec(List<FieldError> errs, ObjectNode spec, FieldPath path) {
        for (String field : List.of("parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished",
                "backoffLimitPerIndex")) {
            FieldChecks.nonNegative(errs, spec, field, path.child(field));
        }
        FieldChecks.positive(errs, spec, "activeDeadlineSeconds", path.child("activeDeadlineSeconds"));
        FieldChecks.oneOf(errs, spec, "completionMode", path.child("completionMode"), List.of("NonIndexed", "Indexed"),
                false);
        if ("Indexed".equals(ObjectTree.text(spec, "completionMode")) && !ObjectTree.has(spec, "completions")) {
            errs.add(FieldError.required(path.child("completions").toString(), "when completion mode is Indexed"));
        }
        ObjectNode template = ObjectTree.object(spec, "template");
        FieldPath templatePath = path.child("template");
        JsonNode selector = spec.get("selector");
        if (selector != null && selector.isObject()) {
            LabelSelectorValidation.validate(errs, selector, path.child("selector"));
            try {
                AppsValidation.matchTemplate(errs, template, LabelSelector.fromStructured(selector), templatePath);
            } catch (SelectorParseException ignored) {
                // Already reported by the structural check above.
            }
        } else if (Boolean.TRUE.equals(ObjectTree.bool(spec, "manualSelector"))) {
            errs.add(FieldError.required(path.child("selector").toString()));
        }
        PodValidation.validateTemplate(errs, template, templatePath);
        ObjectNode podSpec = ObjectTree.object(template, "spec");
        String restart = ObjectTree.textOrEmpty(podSpec, "restartPolicy");
        FieldPath restartPath = templatePath.child("spec", "restartPolicy");
        if (ObjectTree.has(spec, "podFailurePolicy") && !restart.equals("Never")) {
            errs.add(FieldError.invalid(restartPath.toString(), restart,
                    "only \"Never\" is supported when podFailurePolicy is specified"));
        } else if (podSpec != null && !restart.equals("OnFailure") && !restart.equals("Never")) {
            errs.add(FieldError.notSupported(restartPath.toString(), restart, List.of("OnFailure", "Never")));
        }
    }

    static void cronJob(List<FieldError> errs, ObjectNode cj) {
        String name = ObjectMetaView.of(cj).name();
        if (name.length() > CRON_JOB_NAME_MAX) {
            errs.add(FieldError.invalid("metadata.name", name, "must be no more than 52 characters"));
        }
        ObjectNode spec = ObjectTree.object(cj, "spec");
        FieldPath path = FieldPath.of("spec");
        if (spec == null) {
            errs.add(FieldError.required(path.child("schedule").toString()));
            return;
        }
        schedule(errs, ObjectTree.textOrEmpty(spec, "schedule"), path.child("schedule"));
        if (spec.has("timeZone")) {
            timeZone(errs, spec.get("timeZone"), path.child("timeZone"));
        }
        FieldChecks.oneOf(errs, spec, "concurrencyPolicy", path.child("concurrencyPolicy"),
                List.of("Allow", "Forbid", "Replace"), true);
        for (String field : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
            FieldChecks.nonNegative(errs, spec, field, path.child(field));
        }
        ObjectNode jobTemplate = ObjectTree.object(spec, "jobTemplate");
        ObjectNode jobSpec = ObjectTree.object(jobTemplate, "spec");
        FieldPath jobPath = path.child("jobTemplate");
        if (jobTemplate != null) {
            ObjectMetaView meta = ObjectMetaView.of(jobTemplate);
            FieldChecks.labels(errs, meta.labels(), jobPath.child("metadata", "labels"));
            ObjectMetaValidation.annotations(errs, meta.annotations(), jobPath.child("metadata", "annotations"));
        }
        jobSpec(errs, jobSpec == null ? cj.objectNode() : jobSpec, jobPath.child("spec"));
    }

    private static void schedule(List<FieldError> errs, String schedule, FieldPath path) {
        if (schedule.isEmpty()) {
            errs.add(FieldError.required(path.toString()));
            return;
        }
        if (schedule.contains("TZ")) {
            errs.add(FieldError.invalid(path.toString(), schedule,
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            return;
        }
        Optional<String> problem = CronSchedule.problem(schedule);
        problem.ifPresent(p -> errs.add(FieldError.invalid(path.toString(), schedule, p)));
    }

    private static void timeZone(List<FieldError> errs, JsonNode value, FieldPath path) {
        if (value == null || value.isNull()) {
            return;
        }
        String tz = value.asText();
        if (tz.isEmpty()) {
            errs.add(FieldError.invalid(path.toString(), tz, "timeZone must be nil or non-empty string"));
            return;
        }
        for (String part : tz.split("/", -1)) {
            if (part.equals(".") || part.equals("..") || part.startsWith("-") || !TIME_ZONE_PART.matcher(part).matches()) {
                errs.add(FieldError.invalid(path.toString(), tz, "unknown time zone " + tz));
                return;
            }
        }
        if (tz.toLowerCase(Locale.ROOT).equals("local")) {
            errs.add(FieldError.invalid(path.toString(), tz,
                    "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
            return;
        }
        if (!tz.equals("UTC") && !ZoneId.getAvailableZoneIds().contains(tz)) {
            errs.add(FieldError.invalid(path.toString(), tz, "unknown time zone " + tz));
        }
    }
}
