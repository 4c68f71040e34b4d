package dev.konductor.api.defaults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;
import java.util.Locale;

/**
 * Defaults of the small cluster-administration groups: rbac.authorization.k8s.io,
 * scheduling.k8s.io, storage.k8s.io, policy and apiextensions.k8s.io.
 */
final class ClusterDefaults {

    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private ClusterDefaults() {
    }

    static void rbac(String kind, ObjectNode obj) {
        if (!kind.equals("RoleBinding") && !kind.equals("ClusterRoleBinding")) {
            return;
        }
        ObjectNode roleRef = ObjectTree.object(obj, "roleRef");
        if (roleRef != null) {
            DefaultFields.string(roleRef, "apiGroup", RBAC_GROUP);
        }
        for (ObjectNode subject : ObjectTree.objects(obj, "subjects")) {
            if (ObjectTree.has(subject, "apiGroup")) {
                continue;
            }
            switch (ObjectTree.textOrEmpty(subject, "kind")) {
                case "ServiceAccount" -> subject.put("apiGroup", "");
                case "User", "Group" -> subject.put("apiGroup", RBAC_GROUP);
                default -> {
                }
            }
        }
    }

    static void scheduling(String kind, ObjectNode obj) {
        if (kind.equals("PriorityClass")) {
            DefaultFields.string(obj, "preemptionPolicy", "PreemptLowerPriority");
        }
    }

    static void storage(String kind, ObjectNode obj) {
        if (kind.equals("StorageClass")) {
            DefaultFields.string(obj, "reclaimPolicy", "Delete");
            DefaultFields.string(obj, "volumeBindingMode", "Immediate");
        }
    }

    static void policy(String kind, ObjectNode obj) {
        if (kind.equals("PodDisruptionBudget")) {
            // PodDisruptionBudgetStatus counters have no omitempty upstream.
            ObjectNode status = ObjectTree.ensureObject(obj, "status");
            for (String counter : new String[] {"currentHealthy", "desiredHealthy", "disruptionsAllowed", "expectedPods"}) {
                DefaultFields.integer(status, counter, 0);
            }
        }
    }

    static void apiExtensions(String kind, ObjectNode obj) {
        if (!kind.equals("CustomResourceDefinition")) {
            return;
        }
        ObjectNode spec = ObjectTree.ensureObject(obj, "spec");
        ObjectNode names = ObjectTree.object(spec, "names");
        String crdKind = names == null ? "" : ObjectTree.textOrEmpty(names, "kind");
        if (names != null && !crdKind.isEmpty()) {
            DefaultFields.string(names, "singular", crdKind.toLowerCase(Locale.ROOT));
            DefaultFields.string(names, "listKind", crdKind + "List");
        }
        ObjectNode conversion = ObjectTree.ensureObject(spec, "conversion");
        DefaultFields.string(conversion, "strategy", "None");
        ObjectNode service = ObjectTree.object(conversion, "webhook", "clientConfig", "service");
        if (service != null) {
            DefaultFields.integer(service, "port", 443);
        }
    }
}
