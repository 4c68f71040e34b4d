package dev.konductor.api.schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How upstream merges the lists (and a few objects) of the built-in kinds: the
 * {@code patchStrategy}/{@code patchMergeKey} struct tags that strategic merge patch reads and the
 * {@code +listType}/{@code +listMapKey} markers that server-side apply reads. The fabric8 model
 * classes carry none of this, so it is tabulated here from k8s.io/api v0.32 types.go; a list missing
 * from the table is replaced wholesale by both patch engines, which is upstream's default too.
 */
final class ListSemantics {

    /** Patch and apply metadata for one list-valued property. */
    record ListMetadata(String patchStrategy, String patchMergeKey, String listType, List<String> listMapKeys) {
    }

    private static final String CORE = "io.k8s.api.core.v1.";
    private static final String APPS = "io.k8s.api.apps.v1.";
    private static final String BATCH = "io.k8s.api.batch.v1.";
    private static final String AUTOSCALING_V2 = "io.k8s.api.autoscaling.v2.";
    private static final String POLICY = "io.k8s.api.policy.v1.";
    private static final String DISCOVERY = "io.k8s.api.discovery.v1.";
    private static final String NETWORKING = "io.k8s.api.networking.v1.";
    private static final String RBAC = "io.k8s.api.rbac.v1.";
    private static final String STORAGE = "io.k8s.api.storage.v1.";
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final String APIEXT = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";

    private static final Map<String, ListMetadata> LISTS = index(List.of(
            atomicList(CORE + "PersistentVolumeSpec", "accessModes"),
            atomicList(CORE + "PersistentVolumeSpec", "mountOptions"),
            atomicList(CORE + "PersistentVolumeClaimSpec", "accessModes"),
            atomicList(CORE + "PersistentVolumeClaimStatus", "accessModes"),
            mapList(CORE + "PersistentVolumeClaimStatus", "conditions", "merge", "type", "type"),
            atomicList(CORE + "RBDVolumeSource", "monitors"),
            atomicList(CORE + "RBDPersistentVolumeSource", "monitors"),
            atomicList(CORE + "CephFSVolumeSource", "monitors"),
            atomicList(CORE + "CephFSPersistentVolumeSource", "monitors"),
            atomicList(CORE + "SecretVolumeSource", "items"),
            atomicList(CORE + "SecretProjection", "items"),
            atomicList(CORE + "ISCSIVolumeSource", "portals"),
            atomicList(CORE + "ISCSIPersistentVolumeSource", "portals"),
            atomicList(CORE + "FCVolumeSource", "targetWWNs"),
            atomicList(CORE + "FCVolumeSource", "wwids"),
            atomicList(CORE + "ConfigMapVolumeSource", "items"),
            atomicList(CORE + "ConfigMapProjection", "items"),
            atomicList(CORE + "ProjectedVolumeSource", "sources"),
            atomicList(CORE + "HTTPGetAction", "httpHeaders"),
            atomicList(CORE + "ExecAction", "command"),
            atomicList(CORE + "Capabilities", "add"),
            atomicList(CORE + "Capabilities", "drop"),
            mapList(CORE + "ResourceRequirements", "claims", null, null, "name"),
            atomicList(CORE + "Container", "command"),
            atomicList(CORE + "Container", "args"),
            mapList(CORE + "Container", "ports", "merge", "containerPort", "containerPort", "protocol"),
            atomicList(CORE + "Container", "envFrom"),
            mapList(CORE + "Container", "env", "merge", "name", "name"),
            atomicList(CORE + "Container", "resizePolicy"),
            mapList(CORE + "Container", "volumeMounts", "merge", "mountPath", "mountPath"),
            mapList(CORE + "Container", "volumeDevices", "merge", "devicePath", "devicePath"),
            mapList(CORE + "ContainerStatus", "volumeMounts", "merge", "mountPath", "mountPath"),
            mapList(CORE + "ContainerStatus", "allocatedResourcesStatus", "merge", "name", "name"),
            mapList(CORE + "ResourceStatus", "resources", null, null, "resourceID"),
            atomicList(CORE + "LinuxContainerUser", "supplementalGroups"),
            atomicList(CORE + "NodeSelector", "nodeSelectorTerms"),
            atomicList(CORE + "NodeSelectorTerm", "matchExpressions"),
            atomicList(CORE + "NodeSelectorTerm", "matchFields"),
            atomicList(CORE + "NodeSelectorRequirement", "values"),
            atomicList(CORE + "TopologySelectorTerm", "matchLabelExpressions"),
            atomicList(CORE + "TopologySelectorLabelRequirement", "values"),
            atomicList(CORE + "PodAffinity", "requiredDuringSchedulingIgnoredDuringExecution"),
            atomicList(CORE + "PodAffinity", "preferredDuringSchedulingIgnoredDuringExecution"),
            atomicList(CORE + "PodAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution"),
            atomicList(CORE + "PodAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution"),
            atomicList(CORE + "PodAffinityTerm", "namespaces"),
            atomicList(CORE + "PodAffinityTerm", "matchLabelKeys"),
            atomicList(CORE + "PodAffinityTerm", "mismatchLabelKeys"),
            atomicList(CORE + "NodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution"),
            mapList(CORE + "PodSpec", "volumes", "merge,retainKeys", "name", "name"),
            mapList(CORE + "PodSpec", "initContainers", "merge", "name", "name"),
            mapList(CORE + "PodSpec", "containers", "merge", "name", "name"),
            mapList(CORE + "PodSpec", "ephemeralContainers", "merge", "name", "name"),
            mapList(CORE + "PodSpec", "imagePullSecrets", "merge", "name", "name"),
            atomicList(CORE + "PodSpec", "tolerations"),
            mapList(CORE + "PodSpec", "hostAliases", "merge", "ip", "ip"),
            atomicList(CORE + "PodSpec", "readinessGates"),
            mapList(CORE + "PodSpec", "topologySpreadConstraints", "merge", "topologyKey", "topologyKey", "whenUnsatisfiable"),
            mapList(CORE + "PodSpec", "schedulingGates", "merge", "name", "name"),
            mapList(CORE + "PodSpec", "resourceClaims", "merge,retainKeys", "name", "name"),
            atomicList(CORE + "TopologySpreadConstraint", "matchLabelKeys"),
            atomicList(CORE + "HostAlias", "hostnames"),
            atomicList(CORE + "PodSecurityContext", "supplementalGroups"),
            atomicList(CORE + "PodSecurityContext", "sysctls"),
            atomicList(CORE + "PodDNSConfig", "nameservers"),
            atomicList(CORE + "PodDNSConfig", "searches"),
            atomicList(CORE + "PodDNSConfig", "options"),
            mapList(CORE + "PodStatus", "conditions", "merge", "type", "type"),
            atomicList(CORE + "PodStatus", "hostIPs", "merge", "ip"),
            mapList(CORE + "PodStatus", "podIPs", "merge", "ip", "ip"),
            atomicList(CORE + "PodStatus", "initContainerStatuses"),
            atomicList(CORE + "PodStatus", "containerStatuses"),
            atomicList(CORE + "PodStatus", "ephemeralContainerStatuses"),
            mapList(CORE + "PodStatus", "resourceClaimStatuses", "merge,retainKeys", "name", "name"),
            mapList(CORE + "ReplicationControllerStatus", "conditions", "merge", "type", "type"),
            mapList(CORE + "ServiceStatus", "conditions", "merge", "type", "type"),
            atomicList(CORE + "LoadBalancerStatus", "ingress"),
            atomicList(CORE + "LoadBalancerIngress", "ports"),
            mapList(CORE + "ServiceSpec", "ports", "merge", "port", "port", "protocol"),
            atomicList(CORE + "ServiceSpec", "clusterIPs"),
            atomicList(CORE + "ServiceSpec", "externalIPs"),
            atomicList(CORE + "ServiceSpec", "loadBalancerSourceRanges"),
            atomicList(CORE + "ServiceSpec", "ipFamilies"),
            mapList(CORE + "ServiceAccount", "secrets", "merge", "name", "name"),
            atomicList(CORE + "ServiceAccount", "imagePullSecrets"),
            atomicList(CORE + "Endpoints", "subsets"),
            atomicList(CORE + "EndpointSubset", "addresses"),
            atomicList(CORE + "EndpointSubset", "notReadyAddresses"),
            atomicList(CORE + "EndpointSubset", "ports"),
            setList(CORE + "NodeSpec", "podCIDRs", "merge"),
            atomicList(CORE + "NodeSpec", "taints"),
            mapList(CORE + "NodeStatus", "conditions", "merge", "type", "type"),
            mapList(CORE + "NodeStatus", "addresses", "merge", "type", "type"),
            atomicList(CORE + "NodeStatus", "images"),
            atomicList(CORE + "NodeStatus", "volumesInUse"),
            atomicList(CORE + "NodeStatus", "volumesAttached"),
            atomicList(CORE + "NodeStatus", "runtimeHandlers"),
            atomicList(CORE + "ContainerImage", "names"),
            atomicList(CORE + "NamespaceSpec", "finalizers"),
            mapList(CORE + "NamespaceStatus", "conditions", "merge", "type", "type"),
            atomicList(CORE + "LimitRangeSpec", "limits"),
            atomicList(CORE + "ResourceQuotaSpec", "scopes"),
            atomicList(CORE + "ScopeSelector", "matchExpressions"),
            atomicList(CORE + "ScopedResourceSelectorRequirement", "values"),
            atomicList(CORE + "DownwardAPIVolumeSource", "items"),
            atomicList(CORE + "DownwardAPIProjection", "items"),
            atomicList(APPS + "StatefulSetSpec", "volumeClaimTemplates"),
            mapList(APPS + "StatefulSetStatus", "conditions", "merge", "type", "type"),
            mapList(APPS + "DeploymentStatus", "conditions", "merge", "type", "type"),
            mapList(APPS + "DaemonSetStatus", "conditions", "merge", "type", "type"),
            mapList(APPS + "ReplicaSetStatus", "conditions", "merge", "type", "type"),
            setList(BATCH + "PodFailurePolicyOnExitCodesRequirement", "values", null),
            atomicList(BATCH + "PodFailurePolicyRule", "onPodConditions"),
            atomicList(BATCH + "PodFailurePolicy", "rules"),
            atomicList(BATCH + "SuccessPolicy", "rules"),
            atomicList(BATCH + "JobStatus", "conditions", "merge", "type"),
            setList(BATCH + "UncountedTerminatedPods", "succeeded", null),
            setList(BATCH + "UncountedTerminatedPods", "failed", null),
            atomicList(BATCH + "CronJobStatus", "active"),
            atomicList(AUTOSCALING_V2 + "HorizontalPodAutoscalerSpec", "metrics"),
            atomicList(AUTOSCALING_V2 + "HPAScalingRules", "policies"),
            atomicList(AUTOSCALING_V2 + "HorizontalPodAutoscalerStatus", "currentMetrics"),
            mapList(AUTOSCALING_V2 + "HorizontalPodAutoscalerStatus", "conditions", "merge", "type", "type"),
            mapList(POLICY + "PodDisruptionBudgetStatus", "conditions", "merge", "type", "type"),
            atomicList(DISCOVERY + "EndpointSlice", "endpoints"),
            atomicList(DISCOVERY + "EndpointSlice", "ports"),
            setList(DISCOVERY + "Endpoint", "addresses", null),
            atomicList(DISCOVERY + "EndpointHints", "forZones"),
            atomicList(NETWORKING + "NetworkPolicySpec", "ingress"),
            atomicList(NETWORKING + "NetworkPolicySpec", "egress"),
            atomicList(NETWORKING + "NetworkPolicySpec", "policyTypes"),
            atomicList(NETWORKING + "NetworkPolicyIngressRule", "ports"),
            atomicList(NETWORKING + "NetworkPolicyIngressRule", "from"),
            atomicList(NETWORKING + "NetworkPolicyEgressRule", "ports"),
            atomicList(NETWORKING + "NetworkPolicyEgressRule", "to"),
            atomicList(NETWORKING + "IPBlock", "except"),
            atomicList(NETWORKING + "IngressSpec", "tls"),
            atomicList(NETWORKING + "IngressSpec", "rules"),
            atomicList(NETWORKING + "IngressTLS", "hosts"),
            atomicList(NETWORKING + "IngressLoadBalancerStatus", "ingress"),
            atomicList(NETWORKING + "IngressLoadBalancerIngress", "ports"),
            atomicList(NETWORKING + "HTTPIngressRuleValue", "paths"),
            atomicList(RBAC + "PolicyRule", "verbs"),
            atomicList(RBAC + "PolicyRule", "apiGroups"),
            atomicList(RBAC + "PolicyRule", "resources"),
            atomicList(RBAC + "PolicyRule", "resourceNames"),
            atomicList(RBAC + "PolicyRule", "nonResourceURLs"),
            atomicList(RBAC + "Role", "rules"),
            atomicList(RBAC + "RoleBinding", "subjects"),
            atomicList(RBAC + "ClusterRole", "rules"),
            atomicList(RBAC + "AggregationRule", "clusterRoleSelectors"),
            atomicList(RBAC + "ClusterRoleBinding", "subjects"),
            atomicList(STORAGE + "StorageClass", "mountOptions"),
            atomicList(STORAGE + "StorageClass", "allowedTopologies"),
            mapList(META + "ObjectMeta", "ownerReferences", "merge", "uid", "uid"),
            setList(META + "ObjectMeta", "finalizers", "merge"),
            atomicList(META + "ObjectMeta", "managedFields"),
            atomicList(META + "LabelSelector", "matchExpressions"),
            atomicList(META + "LabelSelectorRequirement", "values"),
            atomicList(APIEXT + "CustomResourceDefinitionSpec", "versions"),
            atomicList(APIEXT + "WebhookConversion", "conversionReviewVersions"),
            atomicList(APIEXT + "CustomResourceDefinitionVersion", "additionalPrinterColumns"),
            atomicList(APIEXT + "CustomResourceDefinitionVersion", "selectableFields"),
            atomicList(APIEXT + "CustomResourceDefinitionNames", "shortNames"),
            atomicList(APIEXT + "CustomResourceDefinitionNames", "categories"),
            mapList(APIEXT + "CustomResourceDefinitionStatus", "conditions", null, null, "type"),
            atomicList(APIEXT + "CustomResourceDefinitionStatus", "storedVersions"),
            atomicList(APIEXT + "JSONSchemaProps", "enum"),
            atomicList(APIEXT + "JSONSchemaProps", "required"),
            atomicList(APIEXT + "JSONSchemaProps", "allOf"),
            atomicList(APIEXT + "JSONSchemaProps", "oneOf"),
            atomicList(APIEXT + "JSONSchemaProps", "anyOf"),
            atomicList(APIEXT + "JSONSchemaProps", "x-kubernetes-list-map-keys"),
            atomicList(CORE + "EphemeralContainer", "command"),
            atomicList(CORE + "EphemeralContainer", "args"),
            mapList(CORE + "EphemeralContainer", "ports", "merge", "containerPort", "containerPort", "protocol"),
            atomicList(CORE + "EphemeralContainer", "envFrom"),
            mapList(CORE + "EphemeralContainer", "env", "merge", "name", "name"),
            atomicList(CORE + "EphemeralContainer", "resizePolicy"),
            mapList(CORE + "EphemeralContainer", "volumeMounts", "merge", "mountPath", "mountPath"),
            mapList(CORE + "EphemeralContainer", "volumeDevices", "merge", "devicePath", "devicePath"),
            mapList(APIEXT + "JSONSchemaProps", "x-kubernetes-validations", "merge", "rule", "rule")));

    /**
     * Patch strategies upstream puts on object-valued fields: {@code retainKeys} makes kubectl send
     * a {@code $retainKeys} directive so switching a union member (RollingUpdate to Recreate) clears
     * the old one; {@code replace} makes the whole object replace the live one.
     */
    private static final Map<String, String> OBJECT_STRATEGIES = Map.of(
            APPS + "DeploymentSpec#strategy", "retainKeys",
            POLICY + "PodDisruptionBudgetSpec#selector", "replace");

    private ListSemantics() {
    }

    static Optional<ListMetadata> list(String definition, String property) {
        return Optional.ofNullable(LISTS.get(definition + "#" + property));
    }

    static Optional<String> objectStrategy(String definition, String property) {
        return Optional.ofNullable(OBJECT_STRATEGIES.get(definition + "#" + property));
    }

    private record Entry(String key, ListMetadata metadata) {
    }

    private static Entry mapList(String definition, String property, String strategy, String mergeKey,
                                 String... mapKeys) {
        return new Entry(definition + "#" + property, new ListMetadata(strategy, mergeKey, "map", List.of(mapKeys)));
    }

    private static Entry setList(String definition, String property, String strategy) {
        return new Entry(definition + "#" + property, new ListMetadata(strategy, null, "set", List.of()));
    }

    private static Entry atomicList(String definition, String property) {
        return atomicList(definition, property, null, null);
    }

    /** Atomic for apply, yet merged by key for strategic merge patch (PodStatus.hostIPs, JobStatus.conditions). */
    private static Entry atomicList(String definition, String property, String strategy, String mergeKey) {
        return new Entry(definition + "#" + property, new ListMetadata(strategy, mergeKey, "atomic", List.of()));
    }

    private static Map<String, ListMetadata> index(List<Entry> entries) {
        Map<String, ListMetadata> byKey = new HashMap<>();
        for (Entry e : entries) {
            if (byKey.put(e.key(), e.metadata()) != null) {
                throw new IllegalStateException("duplicate list metadata for " + e.key());
            }
        }
        return Map.copyOf(byKey);
    }
}
