package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;

/** Defaults of the {@code apps/v1} workloads. */
final class AppsDefaults {

    private AppsDefaults() {
    }

    static void apply(String kind, ObjectNode obj) {
        switch (kind) {
            case "Deployment" -> deployment(obj);
            case "ReplicaSet" -> replicaSet(obj);
            case "StatefulSet" -> statefulSet(obj);
            case "DaemonSet" -> daemonSet(obj);
            default -> {
                // ControllerRevision: nothing to default.
            }
        }
    }

    private static void deployment(ObjectNode d) {
        ObjectNode spec = ObjectTree.ensureObject(d, "spec");
        DefaultFields.integer(spec, "replicas", 1);
        ObjectNode strategy = ObjectTree.ensureObject(spec, "strategy");
        DefaultFields.string(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(ObjectTree.text(strategy, "type"))) {
            ObjectNode rolling = ObjectTree.ensureObject(strategy, "rollingUpdate");
            if (!ObjectTree.has(rolling, "maxUnavailable")) {
                rolling.put("maxUnavailable", "25%");
            }
            if (!ObjectTree.has(rolling, "maxSurge")) {
                rolling.put("maxSurge", "25%");
            }
        }
        DefaultFields.integer(spec, "revisionHistoryLimit", 10);
        DefaultFields.integer(spec, "progressDeadlineSeconds", 600);
        template(spec);
        ObjectTree.ensureObject(d, "status");
    }

    private static void replicaSet(ObjectNode rs) {
        ObjectNode spec = ObjectTree.ensureObject(rs, "spec");
        DefaultFields.integer(spec, "replicas", 1);
        template(spec);
        // ReplicaSetStatus.replicas has no omitempty upstream: a new ReplicaSet shows 0.
        DefaultFields.integer(ObjectTree.ensureObject(rs, "status"), "replicas", 0);
    }

    private static void statefulSet(ObjectNode sts) {
        ObjectNode spec = ObjectTree.ensureObject(sts, "spec");
        DefaultFields.string(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = ObjectTree.ensureObject(spec, "updateStrategy");
        if (ObjectTree.isEmpty(strategy, "type")) {
            strategy.put("type", "RollingUpdate");
            ObjectTree.ensureObject(strategy, "rollingUpdate");
        }
        ObjectNode rolling = ObjectTree.object(strategy, "rollingUpdate");
        if ("RollingUpdate".equals(ObjectTree.text(strategy, "type")) && rolling != null) {
            DefaultFields.integer(rolling, "partition", 0);
        }
        ObjectNode retention = ObjectTree.ensureObject(spec, "persistentVolumeClaimRetentionPolicy");
        DefaultFields.string(retention, "whenDeleted", "Retain");
        DefaultFields.string(retention, "whenScaled", "Retain");
        DefaultFields.integer(spec, "replicas", 1);
        DefaultFields.integer(spec, "revisionHistoryLimit", 10);
        template(spec);
        for (ObjectNode claim : ObjectTree.objects(spec, "volumeClaimTemplates")) {
            DefaultFields.templateMetadata(claim);
            CoreDefaults.persistentVolumeClaim(claim);
        }
        ObjectNode status = ObjectTree.ensureObject(sts, "status");
        DefaultFields.integer(status, "replicas", 0);
        DefaultFields.integer(status, "availableReplicas", 0);
    }

    private static void daemonSet(ObjectNode ds) {
        ObjectNode spec = ObjectTree.ensureObject(ds, "spec");
        ObjectNode strategy = ObjectTree.ensureObject(spec, "updateStrategy");
        DefaultFields.string(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(ObjectTree.text(strategy, "type"))) {
            ObjectNode rolling = ObjectTree.ensureObject(strategy, "rollingUpdate");
            if (!ObjectTree.has(rolling, "maxUnavailable")) {
                rolling.put("maxUnavailable", 1);
            }
            if (!ObjectTree.has(rolling, "maxSurge")) {
                rolling.put("maxSurge", 0);
            }
        }
        DefaultFields.integer(spec, "revisionHistoryLimit", 10);
        template(spec);
        ObjectNode status = ObjectTree.ensureObject(ds, "status");
        for (String counter : new String[] {"currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
                "numberReady"}) {
            DefaultFields.integer(status, counter, 0);
        }
    }

    private static void template(ObjectNode spec) {
        PodDefaults.template(ObjectTree.ensureObject(spec, "template"));
    }
}
