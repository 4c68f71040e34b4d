package dev.konductor.api.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The resources Konductor serves out of the box, in discovery order (preferred version first). */
final class BuiltInResources {

    private static final List<String> STATUS = List.of("status");
    private static final List<String> STATUS_SCALE = List.of("status", "scale");
    private static final List<String> NONE = List.of();
    private static final List<String> ALL = List.of("all");
    private static final String AUTHENTICATION = "authentication.k8s.io";
    private static final String AUTHORIZATION = "authorization.k8s.io";

    private BuiltInResources() {
    }

    static List<ResourceType> all() {
        List<ResourceType> r = new ArrayList<>();
        // core/v1
        r.add(cluster("", "v1", "Namespace", "namespaces", List.of("ns"), NONE, List.of("status", "finalize"),
                io.fabric8.kubernetes.api.model.Namespace.class));
        r.add(cluster("", "v1", "Node", "nodes", List.of("no"), NONE, List.of("status", "proxy"),
                io.fabric8.kubernetes.api.model.Node.class));
        r.add(ns("", "v1", "Pod", "pods", List.of("po"), ALL,
                List.of("status", "binding", "eviction", "log", "exec", "attach", "portforward", "proxy", "ephemeralcontainers"),
                io.fabric8.kubernetes.api.model.Pod.class));
        r.add(ns("", "v1", "Service", "services", List.of("svc"), ALL, List.of("status", "proxy"),
                io.fabric8.kubernetes.api.model.Service.class));
        r.add(ns("", "v1", "Endpoints", "endpoints", List.of("ep"), NONE, NONE,
                io.fabric8.kubernetes.api.model.Endpoints.class));
        r.add(ns("", "v1", "ConfigMap", "configmaps", List.of("cm"), NONE, NONE,
                io.fabric8.kubernetes.api.model.ConfigMap.class));
        r.add(ns("", "v1", "Secret", "secrets", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.Secret.class));
        r.add(ns("", "v1", "ServiceAccount", "serviceaccounts", List.of("sa"), NONE, List.of("token"),
                io.fabric8.kubernetes.api.model.ServiceAccount.class));
        r.add(ns("", "v1", "Event", "events", List.of("ev"), NONE, NONE,
                io.fabric8.kubernetes.api.model.Event.class));
        r.add(cluster("", "v1", "PersistentVolume", "persistentvolumes", List.of("pv"), NONE, STATUS,
                io.fabric8.kubernetes.api.model.PersistentVolume.class));
        r.add(ns("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), NONE, STATUS,
                io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class));
        r.add(ns("", "v1", "ResourceQuota", "resourcequotas", List.of("quota"), NONE, STATUS,
                io.fabric8.kubernetes.api.model.ResourceQuota.class));
        r.add(ns("", "v1", "LimitRange", "limitranges", List.of("limits"), NONE, NONE,
                io.fabric8.kubernetes.api.model.LimitRange.class));
        r.add(ns("", "v1", "ReplicationController", "replicationcontrollers", List.of("rc"), ALL, STATUS_SCALE,
                io.fabric8.kubernetes.api.model.ReplicationController.class));
        r.add(ns("", "v1", "PodTemplate", "podtemplates", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.PodTemplate.class));
        // deprecated upstream since 1.19, still what tutorials run (kubectl get cs): answered, never stored
        r.add(new ResourceType("", "v1", "ComponentStatus", "componentstatuses", "componentstatus", false,
                List.of("cs"), NONE, NONE, "componentstatuses", new GroupVersionKind("", "v1", "ComponentStatus"),
                io.fabric8.kubernetes.api.model.ComponentStatus.class, Set.of("get", "list")));
        // apps/v1
        r.add(ns("apps", "v1", "Deployment", "deployments", List.of("deploy"), ALL, STATUS_SCALE,
                io.fabric8.kubernetes.api.model.apps.Deployment.class));
        r.add(ns("apps", "v1", "ReplicaSet", "replicasets", List.of("rs"), ALL, STATUS_SCALE,
                io.fabric8.kubernetes.api.model.apps.ReplicaSet.class));
        r.add(ns("apps", "v1", "StatefulSet", "statefulsets", List.of("sts"), ALL, STATUS_SCALE,
                io.fabric8.kubernetes.api.model.apps.StatefulSet.class));
        r.add(ns("apps", "v1", "DaemonSet", "daemonsets", List.of("ds"), ALL, STATUS,
                io.fabric8.kubernetes.api.model.apps.DaemonSet.class));
        r.add(ns("apps", "v1", "ControllerRevision", "controllerrevisions", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.apps.ControllerRevision.class));
        // batch/v1
        r.add(ns("batch", "v1", "Job", "jobs", NONE, ALL, STATUS,
                io.fabric8.kubernetes.api.model.batch.v1.Job.class));
        r.add(ns("batch", "v1", "CronJob", "cronjobs", List.of("cj"), ALL, STATUS,
                io.fabric8.kubernetes.api.model.batch.v1.CronJob.class));
        // autoscaling: v2 is stored and preferred, v1 converted
        GroupVersionKind hpaV2 = new GroupVersionKind("autoscaling", "v2", "HorizontalPodAutoscaler");
        r.add(new ResourceType("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                "horizontalpodautoscaler", true, List.of("hpa"), ALL, STATUS, "horizontalpodautoscalers", hpaV2,
                io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class, ResourceType.ALL_VERBS));
        r.add(new ResourceType("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                "horizontalpodautoscaler", true, List.of("hpa"), ALL, STATUS, "horizontalpodautoscalers", hpaV2,
                io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class, ResourceType.ALL_VERBS));
        // policy/v1
        r.add(ns("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", List.of("pdb"), NONE, STATUS,
                io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class));
        // coordination.k8s.io/v1
        r.add(ns("coordination.k8s.io", "v1", "Lease", "leases", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.coordination.v1.Lease.class));
        // discovery.k8s.io/v1
        r.add(ns("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class));
        // events.k8s.io/v1: the same objects as core/v1 events, converted
        r.add(new ResourceType("events.k8s.io", "v1", "Event", "events", "event", true, List.of("ev"), NONE, NONE,
                "events", new GroupVersionKind("", "v1", "Event"),
                io.fabric8.kubernetes.api.model.events.v1.Event.class, ResourceType.ALL_VERBS));
        // networking.k8s.io/v1
        r.add(ns("networking.k8s.io", "v1", "Ingress", "ingresses", List.of("ing"), NONE, STATUS,
                io.fabric8.kubernetes.api.model.networking.v1.Ingress.class));
        r.add(cluster("networking.k8s.io", "v1", "IngressClass", "ingressclasses", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.networking.v1.IngressClass.class));
        r.add(ns("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", List.of("netpol"), NONE, NONE,
                io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class));
        // rbac.authorization.k8s.io/v1
        r.add(cluster("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.rbac.ClusterRole.class));
        r.add(cluster("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class));
        r.add(ns("rbac.authorization.k8s.io", "v1", "Role", "roles", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.rbac.Role.class));
        r.add(ns("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.rbac.RoleBinding.class));
        // scheduling.k8s.io/v1
        r.add(cluster("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", List.of("pc"), NONE, NONE,
                io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass.class));
        // storage.k8s.io/v1
        r.add(cluster("storage.k8s.io", "v1", "StorageClass", "storageclasses", List.of("sc"), NONE, NONE,
                io.fabric8.kubernetes.api.model.storage.StorageClass.class));
        // authentication.k8s.io/v1: reviews are answered, never stored, so create is their only verb
        r.add(review(AUTHENTICATION, "TokenReview", "tokenreviews", false,
                io.fabric8.kubernetes.api.model.authentication.TokenReview.class));
        r.add(review(AUTHENTICATION, "SelfSubjectReview", "selfsubjectreviews", false,
                io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview.class));
        // authorization.k8s.io/v1: the access reviews, answered like the authentication ones
        r.add(review(AUTHORIZATION, "LocalSubjectAccessReview", "localsubjectaccessreviews", true,
                io.fabric8.kubernetes.api.model.authorization.v1.LocalSubjectAccessReview.class));
        r.add(review(AUTHORIZATION, "SelfSubjectAccessReview", "selfsubjectaccessreviews", false,
                io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview.class));
        r.add(review(AUTHORIZATION, "SelfSubjectRulesReview", "selfsubjectrulesreviews", false,
                io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview.class));
        r.add(review(AUTHORIZATION, "SubjectAccessReview", "subjectaccessreviews", false,
                io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview.class));
        // apiextensions.k8s.io/v1
        r.add(cluster("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                List.of("crd", "crds"), NONE, STATUS,
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class));
        // metrics.k8s.io/v1beta1 (last, so that core "pods" and "nodes" win in kubectl's lookup):
        // upstream serves these from metrics-server through aggregation; here the API server keeps
        // the readings the node agents report in memory, as metrics-server does, for kubectl top
        // and the HPA controller
        r.add(ns("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics.class));
        r.add(cluster("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", NONE, NONE, NONE,
                io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics.class));
        return r;
    }

    private static ResourceType ns(String group, String version, String kind, String plural, List<String> shortNames,
                                   List<String> categories, List<String> subresources, Class<?> model) {
        return of(group, version, kind, plural, true, shortNames, categories, subresources, model);
    }

    private static ResourceType cluster(String group, String version, String kind, String plural, List<String> shortNames,
                                        List<String> categories, List<String> subresources, Class<?> model) {
        return of(group, version, kind, plural, false, shortNames, categories, subresources, model);
    }

    private static ResourceType review(String group, String kind, String plural, boolean namespaced, Class<?> model) {
        return new ResourceType(group, "v1", kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced, NONE,
                NONE, NONE, group + "/" + plural, new GroupVersionKind(group, "v1", kind), model, Set.of("create"));
    }

    private static ResourceType of(String group, String version, String kind, String plural, boolean namespaced,
                                   List<String> shortNames, List<String> categories, List<String> subresources,
                                   Class<?> model) {
        String storageKey = group.isEmpty() || group.equals("apps") || group.equals("batch")
                || group.equals("policy") || group.equals("autoscaling") ? plural : group + "/" + plural;
        return new ResourceType(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
                shortNames, categories, subresources, storageKey, new GroupVersionKind(group, version, kind), model,
                Set.copyOf(ResourceType.ALL_VERBS));
    }
}
