package dev.konductor.api.schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties upstream's OpenAPI marks required for the built-in kinds: fields whose json tag has
 * no {@code omitempty} and that carry no {@code +optional} marker, as of k8s.io/api v0.32. They
 * show as {@code -required-} in {@code kubectl explain} and kubectl 1.27/1.28 client-side
 * validation checks them, so the table errs on the side of upstream's exact list.
 */
final class RequiredFields {

    private static final String CORE = "io.k8s.api.core.v1.";
    private static final String APPS = "io.k8s.api.apps.v1.";
    private static final String BATCH = "io.k8s.api.batch.v1.";
    private static final String AUTOSCALING_V1 = "io.k8s.api.autoscaling.v1.";
    private static final String AUTOSCALING_V2 = "io.k8s.api.autoscaling.v2.";
    private static final String POLICY = "io.k8s.api.policy.v1.";
    private static final String DISCOVERY = "io.k8s.api.discovery.v1.";
    private static final String EVENTS = "io.k8s.api.events.v1.";
    private static final String NETWORKING = "io.k8s.api.networking.v1.";
    private static final String RBAC = "io.k8s.api.rbac.v1.";
    private static final String SCHEDULING = "io.k8s.api.scheduling.v1.";
    private static final String STORAGE = "io.k8s.api.storage.v1.";
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final String APIEXT = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.";

    private static final Map<String, List<String>> REQUIRED = index(List.of(
            required(CORE + "Volume", "name"),
            required(CORE + "PersistentVolumeClaimVolumeSource", "claimName"),
            required(CORE + "TypedObjectReference", "kind", "name"),
            required(CORE + "ModifyVolumeStatus", "status"),
            required(CORE + "PersistentVolumeClaimCondition", "type", "status"),
            required(CORE + "HostPathVolumeSource", "path"),
            required(CORE + "GlusterfsVolumeSource", "endpoints", "path"),
            required(CORE + "GlusterfsPersistentVolumeSource", "endpoints", "path"),
            required(CORE + "RBDVolumeSource", "monitors", "image"),
            required(CORE + "RBDPersistentVolumeSource", "monitors", "image"),
            required(CORE + "CinderVolumeSource", "volumeID"),
            required(CORE + "CinderPersistentVolumeSource", "volumeID"),
            required(CORE + "CephFSVolumeSource", "monitors"),
            required(CORE + "CephFSPersistentVolumeSource", "monitors"),
            required(CORE + "GCEPersistentDiskVolumeSource", "pdName"),
            required(CORE + "QuobyteVolumeSource", "registry", "volume"),
            required(CORE + "FlexPersistentVolumeSource", "driver"),
            required(CORE + "FlexVolumeSource", "driver"),
            required(CORE + "AWSElasticBlockStoreVolumeSource", "volumeID"),
            required(CORE + "GitRepoVolumeSource", "repository"),
            required(CORE + "NFSVolumeSource", "server", "path"),
            required(CORE + "ISCSIVolumeSource", "targetPortal", "iqn", "lun"),
            required(CORE + "ISCSIPersistentVolumeSource", "targetPortal", "iqn", "lun"),
            required(CORE + "AzureFileVolumeSource", "secretName", "shareName"),
            required(CORE + "AzureFilePersistentVolumeSource", "secretName", "shareName"),
            required(CORE + "VsphereVirtualDiskVolumeSource", "volumePath"),
            required(CORE + "PhotonPersistentDiskVolumeSource", "pdID"),
            required(CORE + "AzureDiskVolumeSource", "diskName", "diskURI"),
            required(CORE + "PortworxVolumeSource", "volumeID"),
            required(CORE + "ScaleIOVolumeSource", "gateway", "system", "secretRef"),
            required(CORE + "ScaleIOPersistentVolumeSource", "gateway", "system", "secretRef"),
            required(CORE + "ServiceAccountTokenProjection", "path"),
            required(CORE + "ClusterTrustBundleProjection", "path"),
            required(CORE + "KeyToPath", "key", "path"),
            required(CORE + "LocalVolumeSource", "path"),
            required(CORE + "CSIPersistentVolumeSource", "driver", "volumeHandle"),
            required(CORE + "CSIVolumeSource", "driver"),
            required(CORE + "PersistentVolumeClaimTemplate", "spec"),
            required(CORE + "ContainerPort", "containerPort"),
            required(CORE + "VolumeMount", "name", "mountPath"),
            required(CORE + "VolumeDevice", "name", "devicePath"),
            required(CORE + "EnvVar", "name"),
            required(CORE + "ObjectFieldSelector", "fieldPath"),
            required(CORE + "ResourceFieldSelector", "resource"),
            required(CORE + "ConfigMapKeySelector", "key"),
            required(CORE + "SecretKeySelector", "key"),
            required(CORE + "HTTPHeader", "name", "value"),
            required(CORE + "HTTPGetAction", "port"),
            required(CORE + "TCPSocketAction", "port"),
            required(CORE + "GRPCAction", "port"),
            required(CORE + "SleepAction", "seconds"),
            required(CORE + "ContainerResizePolicy", "resourceName", "restartPolicy"),
            required(CORE + "ResourceClaim", "name"),
            required(CORE + "Container", "name"),
            required(CORE + "ContainerStateTerminated", "exitCode"),
            required(CORE + "ContainerStatus", "name", "ready", "restartCount", "image", "imageID"),
            required(CORE + "ResourceStatus", "name"),
            required(CORE + "ResourceHealth", "resourceID"),
            required(CORE + "LinuxContainerUser", "uid", "gid"),
            required(CORE + "PodCondition", "type", "status"),
            required(CORE + "VolumeMountStatus", "name", "mountPath"),
            required(CORE + "NodeSelector", "nodeSelectorTerms"),
            required(CORE + "NodeSelectorRequirement", "key", "operator"),
            required(CORE + "TopologySelectorLabelRequirement", "key", "values"),
            required(CORE + "WeightedPodAffinityTerm", "weight", "podAffinityTerm"),
            required(CORE + "PodAffinityTerm", "topologyKey"),
            required(CORE + "PreferredSchedulingTerm", "weight", "preference"),
            required(CORE + "Taint", "key", "effect"),
            required(CORE + "PodReadinessGate", "conditionType"),
            required(CORE + "PodSpec", "containers"),
            required(CORE + "PodResourceClaim", "name"),
            required(CORE + "PodResourceClaimStatus", "name"),
            required(CORE + "PodOS", "name"),
            required(CORE + "PodSchedulingGate", "name"),
            required(CORE + "TopologySpreadConstraint", "maxSkew", "topologyKey", "whenUnsatisfiable"),
            required(CORE + "HostAlias", "ip"),
            required(CORE + "SeccompProfile", "type"),
            required(CORE + "AppArmorProfile", "type"),
            required(CORE + "PodIP", "ip"),
            required(CORE + "HostIP", "ip"),
            required(CORE + "ReplicationControllerStatus", "replicas"),
            required(CORE + "ReplicationControllerCondition", "type", "status"),
            required(CORE + "ServicePort", "port"),
            required(CORE + "EndpointAddress", "ip"),
            required(CORE + "EndpointPort", "port"),
            required(CORE + "ConfigMapNodeConfigSource", "namespace", "name", "kubeletConfigKey"),
            required(CORE + "DaemonEndpoint", "Port"),
            required(CORE + "NodeSystemInfo", "machineID", "systemUUID", "bootID", "kernelVersion", "osImage",
                    "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion", "operatingSystem",
                    "architecture"),
            required(CORE + "AttachedVolume", "name", "devicePath"),
            required(CORE + "NodeCondition", "type", "status"),
            required(CORE + "NodeAddress", "type", "address"),
            required(CORE + "NamespaceCondition", "type", "status"),
            required(CORE + "TypedLocalObjectReference", "kind", "name"),
            required(CORE + "Event", "metadata", "involvedObject"),
            required(CORE + "LimitRangeItem", "type"),
            required(CORE + "LimitRangeSpec", "limits"),
            required(CORE + "ScopedResourceSelectorRequirement", "scopeName", "operator"),
            required(CORE + "DownwardAPIVolumeFile", "path"),
            required(CORE + "Sysctl", "name", "value"),
            required(CORE + "PortStatus", "port", "protocol"),
            required(APPS + "StatefulSetSpec", "selector", "template", "serviceName"),
            required(APPS + "StatefulSetStatus", "replicas"),
            required(APPS + "StatefulSetCondition", "type", "status"),
            required(APPS + "DeploymentSpec", "selector", "template"),
            required(APPS + "DeploymentCondition", "type", "status"),
            required(APPS + "DaemonSetSpec", "selector", "template"),
            required(APPS + "DaemonSetStatus", "currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"),
            required(APPS + "DaemonSetCondition", "type", "status"),
            required(APPS + "ReplicaSetSpec", "selector"),
            required(APPS + "ReplicaSetStatus", "replicas"),
            required(APPS + "ReplicaSetCondition", "type", "status"),
            required(APPS + "ControllerRevision", "revision"),
            required(BATCH + "PodFailurePolicyOnExitCodesRequirement", "operator", "values"),
            required(BATCH + "PodFailurePolicyOnPodConditionsPattern", "type", "status"),
            required(BATCH + "PodFailurePolicyRule", "action"),
            required(BATCH + "PodFailurePolicy", "rules"),
            required(BATCH + "SuccessPolicy", "rules"),
            required(BATCH + "JobSpec", "template"),
            required(BATCH + "JobCondition", "type", "status"),
            required(BATCH + "CronJobSpec", "schedule", "jobTemplate"),
            required(AUTOSCALING_V1 + "CrossVersionObjectReference", "kind", "name"),
            required(AUTOSCALING_V1 + "HorizontalPodAutoscalerSpec", "scaleTargetRef", "maxReplicas"),
            required(AUTOSCALING_V1 + "HorizontalPodAutoscalerStatus", "currentReplicas", "desiredReplicas"),
            required(AUTOSCALING_V2 + "HorizontalPodAutoscalerSpec", "scaleTargetRef", "maxReplicas"),
            required(AUTOSCALING_V2 + "CrossVersionObjectReference", "kind", "name"),
            required(AUTOSCALING_V2 + "MetricSpec", "type"),
            required(AUTOSCALING_V2 + "HPAScalingPolicy", "type", "value", "periodSeconds"),
            required(AUTOSCALING_V2 + "ObjectMetricSource", "describedObject", "target", "metric"),
            required(AUTOSCALING_V2 + "PodsMetricSource", "metric", "target"),
            required(AUTOSCALING_V2 + "ResourceMetricSource", "name", "target"),
            required(AUTOSCALING_V2 + "ContainerResourceMetricSource", "name", "target", "container"),
            required(AUTOSCALING_V2 + "ExternalMetricSource", "metric", "target"),
            required(AUTOSCALING_V2 + "MetricIdentifier", "name"),
            required(AUTOSCALING_V2 + "MetricTarget", "type"),
            required(AUTOSCALING_V2 + "HorizontalPodAutoscalerStatus", "desiredReplicas"),
            required(AUTOSCALING_V2 + "HorizontalPodAutoscalerCondition", "type", "status"),
            required(AUTOSCALING_V2 + "MetricStatus", "type"),
            required(AUTOSCALING_V2 + "ObjectMetricStatus", "metric", "current", "describedObject"),
            required(AUTOSCALING_V2 + "PodsMetricStatus", "metric", "current"),
            required(AUTOSCALING_V2 + "ResourceMetricStatus", "name", "current"),
            required(AUTOSCALING_V2 + "ContainerResourceMetricStatus", "name", "current", "container"),
            required(AUTOSCALING_V2 + "ExternalMetricStatus", "metric", "current"),
            required(POLICY + "PodDisruptionBudgetStatus", "disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"),
            required(DISCOVERY + "EndpointSlice", "addressType", "endpoints"),
            required(DISCOVERY + "Endpoint", "addresses"),
            required(DISCOVERY + "ForZone", "name"),
            required(EVENTS + "Event", "eventTime"),
            required(EVENTS + "EventSeries", "count", "lastObservedTime"),
            required(NETWORKING + "NetworkPolicySpec", "podSelector"),
            required(NETWORKING + "IPBlock", "cidr"),
            required(NETWORKING + "IngressPortStatus", "port", "protocol"),
            required(NETWORKING + "HTTPIngressRuleValue", "paths"),
            required(NETWORKING + "HTTPIngressPath", "pathType", "backend"),
            required(NETWORKING + "IngressServiceBackend", "name"),
            required(NETWORKING + "IngressClassParametersReference", "kind", "name"),
            required(RBAC + "PolicyRule", "verbs"),
            required(RBAC + "Subject", "kind", "name"),
            required(RBAC + "RoleRef", "apiGroup", "kind", "name"),
            required(RBAC + "RoleBinding", "roleRef"),
            required(RBAC + "ClusterRoleBinding", "roleRef"),
            required(SCHEDULING + "PriorityClass", "value"),
            required(STORAGE + "StorageClass", "provisioner"),
            required(META + "WatchEvent", "type", "object"),
            required(META + "OwnerReference", "apiVersion", "kind", "name", "uid"),
            required(META + "LabelSelectorRequirement", "key", "operator"),
            required(META + "Condition", "type", "status", "lastTransitionTime", "reason", "message"),
            required(APIEXT + "CustomResourceDefinitionSpec", "group", "names", "scope", "versions"),
            required(APIEXT + "CustomResourceConversion", "strategy"),
            required(APIEXT + "WebhookConversion", "conversionReviewVersions"),
            required(APIEXT + "ServiceReference", "namespace", "name"),
            required(APIEXT + "CustomResourceDefinitionVersion", "name", "served", "storage"),
            required(APIEXT + "SelectableField", "jsonPath"),
            required(APIEXT + "CustomResourceColumnDefinition", "name", "type", "jsonPath"),
            required(APIEXT + "CustomResourceDefinitionNames", "plural", "kind"),
            required(APIEXT + "CustomResourceDefinitionCondition", "type", "status"),
            required(APIEXT + "CustomResourceDefinition", "spec"),
            required(APIEXT + "CustomResourceSubresourceScale", "specReplicasPath", "statusReplicasPath"),
            required(APIEXT + "ValidationRule", "rule"),
            required(CORE + "EphemeralContainer", "name")));

    private RequiredFields() {
    }

    /** The required properties of an upstream definition, in upstream's order; empty if none. */
    static List<String> of(String definition) {
        return REQUIRED.getOrDefault(definition, List.of());
    }

    private record Entry(String definition, List<String> properties) {
    }

    private static Entry required(String definition, String... properties) {
        return new Entry(definition, List.of(properties));
    }

    private static Map<String, List<String>> index(List<Entry> entries) {
        Map<String, List<String>> byDefinition = new HashMap<>();
        for (Entry e : entries) {
            if (byDefinition.put(e.definition(), e.properties()) != null) {
                throw new IllegalStateException("duplicate required fields for " + e.definition());
            }
        }
        return Map.copyOf(byDefinition);
    }
}
