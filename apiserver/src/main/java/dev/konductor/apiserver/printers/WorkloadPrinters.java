package dev.konductor.apiserver.printers;

import static dev.konductor.apiserver.printers.ColumnDefinition.ageColumn;
import static dev.konductor.apiserver.printers.ColumnDefinition.integer;
import static dev.konductor.apiserver.printers.ColumnDefinition.nameColumn;
import static dev.konductor.apiserver.printers.ColumnDefinition.string;
import static dev.konductor.apiserver.printers.KindPrinter.row;
import static dev.konductor.apiserver.printers.ObjectFields.age;
import static dev.konductor.apiserver.printers.ObjectFields.at;
import static dev.konductor.apiserver.printers.ObjectFields.containerCells;
import static dev.konductor.apiserver.printers.ObjectFields.formatLabelSelector;
import static dev.konductor.apiserver.printers.ObjectFields.formatLabels;
import static dev.konductor.apiserver.printers.ObjectFields.instant;
import static dev.konductor.apiserver.printers.ObjectFields.integer;
import static dev.konductor.apiserver.printers.ObjectFields.intOrString;
import static dev.konductor.apiserver.printers.ObjectFields.items;
import static dev.konductor.apiserver.printers.ObjectFields.name;
import static dev.konductor.apiserver.printers.ObjectFields.present;
import static dev.konductor.apiserver.printers.ObjectFields.since;
import static dev.konductor.apiserver.printers.ObjectFields.size;
import static dev.konductor.apiserver.printers.ObjectFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Printers for apps, batch and policy kinds; the HPA's TARGETS column is {@link HpaTargets}. */
final class WorkloadPrinters {

    private static final ColumnDefinition CONTAINERS = string("Containers", "Names of the template's containers.").wide();
    private static final ColumnDefinition IMAGES = string("Images", "Images of the template's containers.").wide();
    private static final ColumnDefinition SELECTOR = string("Selector", "The label selector of the pods it manages.").wide();

    private WorkloadPrinters() {
    }

    static KindPrinter deployment() {
        return new KindPrinter(List.of(nameColumn(),
                string("Ready", "Ready pods out of desired pods."),
                string("Up-to-date", "Pods running the current template."),
                string("Available", "Pods available for at least minReadySeconds."),
                ageColumn(), CONTAINERS, IMAGES, SELECTOR),
                (d, now) -> {
                    List<Object> containers = containerCells(at(d, "spec", "template", "spec"));
                    // upstream prints the raw selector here, "<invalid>" when it cannot be parsed
                    String selector = ObjectFields.selectorString(at(d, "spec", "selector")).orElse("<invalid>");
                    return row(name(d), integer(d, "status", "readyReplicas") + "/" + integer(d, "spec", "replicas"),
                            integer(d, "status", "updatedReplicas"), integer(d, "status", "availableReplicas"),
                            age(d, now), containers.get(0), containers.get(1), selector);
                });
    }

    static KindPrinter replicaSet() {
        return new KindPrinter(List.of(nameColumn(),
                integer("Desired", "Desired number of pods."),
                integer("Current", "Number of pods that exist."),
                integer("Ready", "Number of ready pods."),
                ageColumn(), CONTAINERS, IMAGES, SELECTOR),
                (rs, now) -> {
                    List<Object> containers = containerCells(at(rs, "spec", "template", "spec"));
                    return row(name(rs), integer(rs, "spec", "replicas"), integer(rs, "status", "replicas"),
                            integer(rs, "status", "readyReplicas"), age(rs, now), containers.get(0), containers.get(1),
                            formatLabelSelector(at(rs, "spec", "selector")));
                });
    }

    static KindPrinter statefulSet() {
        return new KindPrinter(List.of(nameColumn(),
                string("Ready", "Ready pods out of desired pods."),
                ageColumn(), CONTAINERS, IMAGES),
                (sts, now) -> {
                    List<Object> containers = containerCells(at(sts, "spec", "template", "spec"));
                    return row(name(sts), integer(sts, "status", "readyReplicas") + "/" + integer(sts, "spec", "replicas"),
                            age(sts, now), containers.get(0), containers.get(1));
                });
    }

    static KindPrinter daemonSet() {
        return new KindPrinter(List.of(nameColumn(),
                integer("Desired", "Nodes that should run the daemon pod."),
                integer("Current", "Nodes running at least one daemon pod."),
                integer("Ready", "Nodes whose daemon pod is ready."),
                integer("Up-to-date", "Nodes running the current template."),
                integer("Available", "Nodes whose daemon pod is available."),
                string("Node Selector", "The node selector of the pod template."),
                ageColumn(), CONTAINERS, IMAGES, SELECTOR),
                (ds, now) -> {
                    List<Object> containers = containerCells(at(ds, "spec", "template", "spec"));
                    JsonNode status = at(ds, "status");
                    return row(name(ds), integer(status, "desiredNumberScheduled"),
                            integer(status, "currentNumberScheduled"), integer(status, "numberReady"),
                            integer(status, "updatedNumberScheduled"), integer(status, "numberAvailable"),
                            formatLabels(at(ds, "spec", "template", "spec", "nodeSelector")), age(ds, now),
                            containers.get(0), containers.get(1), formatLabelSelector(at(ds, "spec", "selector")));
                });
    }

    static KindPrinter controllerRevision() {
        return new KindPrinter(List.of(nameColumn(),
                string("Controller", "The controller that owns the revision, as kind.group/name."),
                string("Revision", "The revision number."),
                ageColumn()),
                (cr, now) -> row(name(cr), controllerOf(cr), integer(cr, "revision"), age(cr, now)));
    }

    /** {@code statefulset.apps/web}: the controller owner reference, or {@code <none>}. */
    private static String controllerOf(ObjectNode object) {
        for (JsonNode owner : items(object, "metadata", "ownerReferences")) {
            if (ObjectFields.bool(owner, "controller")) {
                String apiVersion = text(owner, "apiVersion");
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                String kind = text(owner, "kind");
                if (kind.isEmpty() && group.isEmpty()) {
                    return text(owner, "name");
                }
                String groupKind = group.isEmpty() ? kind : kind + "." + group;
                return groupKind.toLowerCase(Locale.ROOT) + "/" + text(owner, "name");
            }
        }
        return "<none>";
    }

    static KindPrinter job() {
        return new KindPrinter(List.of(nameColumn(),
                string("Status", "Complete, Failed, Suspended, Running..."),
                string("Completions", "Succeeded pods out of the completions wanted."),
                string("Duration", "How long the job ran, or has been running."),
                ageColumn(), CONTAINERS, IMAGES, SELECTOR),
                (job, now) -> {
                    List<Object> containers = containerCells(at(job, "spec", "template", "spec"));
                    return row(name(job), jobStatus(job), completions(job), jobDuration(job, now), age(job, now),
                            containers.get(0), containers.get(1), formatLabelSelector(at(job, "spec", "selector")));
                });
    }

    private static String completions(ObjectNode job) {
        long succeeded = integer(job, "status", "succeeded");
        if (present(job, "spec", "completions")) {
            return succeeded + "/" + integer(job, "spec", "completions");
        }
        long parallelism = integer(job, "spec", "parallelism");
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String jobDuration(ObjectNode job, Instant now) {
        var start = instant(at(job, "status", "startTime"));
        if (start.isEmpty()) {
            return "";
        }
        Instant end = instant(at(job, "status", "completionTime")).orElse(now);
        return Durations.human(Duration.between(start.get(), end));
    }

    private static String jobStatus(ObjectNode job) {
        if (jobCondition(job, "Complete")) {
            return "Complete";
        } else if (jobCondition(job, "Failed")) {
            return "Failed";
        } else if (present(job, "metadata", "deletionTimestamp")) {
            return "Terminating";
        } else if (jobCondition(job, "Suspended")) {
            return "Suspended";
        } else if (jobCondition(job, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    private static boolean jobCondition(ObjectNode job, String type) {
        for (JsonNode condition : items(job, "status", "conditions")) {
            if (text(condition, "type").equals(type)) {
                return text(condition, "status").equals("True");
            }
        }
        return false;
    }

    static KindPrinter cronJob() {
        return new KindPrinter(List.of(nameColumn(),
                string("Schedule", "The cron schedule."),
                string("Timezone", "The time zone the schedule is read in."),
                ColumnDefinition.bool("Suspend", "Whether new jobs are suspended."),
                integer("Active", "Number of running jobs."),
                string("Last Schedule", "Time since a job was last scheduled."),
                ageColumn(), CONTAINERS, IMAGES, SELECTOR),
                (cj, now) -> {
                    JsonNode jobSpec = at(cj, "spec", "jobTemplate", "spec");
                    List<Object> containers = containerCells(at(jobSpec, "template", "spec"));
                    String suspend = !present(cj, "spec", "suspend") ? "<unset>"
                            : ObjectFields.bool(cj, "spec", "suspend") ? "True" : "False";
                    String lastSchedule = present(cj, "status", "lastScheduleTime")
                            ? since(at(cj, "status", "lastScheduleTime"), now) : "<none>";
                    String timeZone = present(cj, "spec", "timeZone") ? text(cj, "spec", "timeZone") : "<none>";
                    return row(name(cj), text(cj, "spec", "schedule"), timeZone, suspend,
                            (long) size(cj, "status", "active"), lastSchedule, age(cj, now),
                            containers.get(0), containers.get(1), formatLabelSelector(at(jobSpec, "selector")));
                });
    }

    static KindPrinter horizontalPodAutoscaler() {
        return new KindPrinter(List.of(nameColumn(),
                string("Reference", "The scaled object, as Kind/name."),
                string("Targets", "Current value out of target value for each metric."),
                string("MinPods", "Lower limit of replicas."),
                string("MaxPods", "Upper limit of replicas."),
                string("Replicas", "Current number of replicas."),
                ageColumn()),
                (hpa, now) -> {
                    JsonNode ref = at(hpa, "spec", "scaleTargetRef");
                    String minPods = present(hpa, "spec", "minReplicas")
                            ? Long.toString(integer(hpa, "spec", "minReplicas")) : "<unset>";
                    return row(name(hpa), text(ref, "kind") + "/" + text(ref, "name"), HpaTargets.format(hpa),
                            minPods, integer(hpa, "spec", "maxReplicas"), integer(hpa, "status", "currentReplicas"),
                            age(hpa, now));
                });
    }

    static KindPrinter podDisruptionBudget() {
        return new KindPrinter(List.of(nameColumn(),
                string("Min Available", "Pods that must stay available."),
                string("Max Unavailable", "Pods that may be unavailable."),
                integer("Allowed Disruptions", "Pods that may be evicted right now."),
                ageColumn()),
                (pdb, now) -> row(name(pdb),
                        present(pdb, "spec", "minAvailable") ? intOrString(at(pdb, "spec", "minAvailable")) : "N/A",
                        present(pdb, "spec", "maxUnavailable") ? intOrString(at(pdb, "spec", "maxUnavailable")) : "N/A",
                        integer(pdb, "status", "disruptionsAllowed"), age(pdb, now)));
    }

    /** The kinds above, for the registry. */
    static Map<GroupKind, KindPrinter> all() {
        return Map.of(
                new GroupKind("apps", "Deployment"), deployment(),
                new GroupKind("apps", "ReplicaSet"), replicaSet(),
                new GroupKind("apps", "StatefulSet"), statefulSet(),
                new GroupKind("apps", "DaemonSet"), daemonSet(),
                new GroupKind("apps", "ControllerRevision"), controllerRevision(),
                new GroupKind("batch", "Job"), job(),
                new GroupKind("batch", "CronJob"), cronJob(),
                new GroupKind("autoscaling", "HorizontalPodAutoscaler"), horizontalPodAutoscaler(),
                new GroupKind("policy", "PodDisruptionBudget"), podDisruptionBudget());
    }
}
