package dev.konductor.apiserver.printers;

import static dev.konductor.apiserver.printers.ColumnDefinition.ageColumn;
import static dev.konductor.apiserver.printers.ColumnDefinition.integer;
import static dev.konductor.apiserver.printers.ColumnDefinition.nameColumn;
import static dev.konductor.apiserver.printers.ColumnDefinition.string;
import static dev.konductor.apiserver.printers.KindPrinter.row;
import static dev.konductor.apiserver.printers.ObjectFields.age;
import static dev.konductor.apiserver.printers.ObjectFields.at;
import static dev.konductor.apiserver.printers.ObjectFields.containerCells;
import static dev.konductor.apiserver.printers.ObjectFields.formatLabels;
import static dev.konductor.apiserver.printers.ObjectFields.integer;
import static dev.konductor.apiserver.printers.ObjectFields.items;
import static dev.konductor.apiserver.printers.ObjectFields.name;
import static dev.konductor.apiserver.printers.ObjectFields.present;
import static dev.konductor.apiserver.printers.ObjectFields.quantity;
import static dev.konductor.apiserver.printers.ObjectFields.size;
import static dev.konductor.apiserver.printers.ObjectFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Printers for the core (v1) kinds other than pods and events. */
final class CorePrinters {

    private static final String NODE_ROLE_PREFIX = "node-role.kubernetes.io/";
    private static final String LEGACY_NODE_ROLE = "kubernetes.io/role";
    private static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

    private CorePrinters() {
    }

    /** Printers of the core group's kinds, with events.k8s.io events that print as core ones. */
    static Map<GroupKind, KindPrinter> all() {
        Map<String, KindPrinter> byKind = Map.ofEntries(
                Map.entry("Pod", PodPrinter.printer()),
                Map.entry("Event", EventPrinter.printer()),
                Map.entry("Node", node()),
                Map.entry("Namespace", new KindPrinter(List.of(nameColumn(),
                        string("Status", "The namespace's lifecycle phase."), ageColumn()),
                        (o, now) -> row(name(o), text(o, "status", "phase"), age(o, now)))),
                Map.entry("Service", service()),
                Map.entry("Endpoints", new KindPrinter(List.of(nameColumn(),
                        string("Endpoints", "Up to three ready addresses with their ports."), ageColumn()),
                        (o, now) -> row(name(o), Addresses.endpoints(o), age(o, now)))),
                Map.entry("ConfigMap", new KindPrinter(List.of(nameColumn(),
                        integer("Data", "Number of keys in data and binaryData."), ageColumn()),
                        (o, now) -> row(name(o), (long) size(o, "data") + size(o, "binaryData"), age(o, now)))),
                Map.entry("Secret", new KindPrinter(List.of(nameColumn(),
                        string("Type", "The secret's type."), string("Data", "Number of keys in data."), ageColumn()),
                        (o, now) -> row(name(o), text(o, "type"), (long) size(o, "data"), age(o, now)))),
                Map.entry("ServiceAccount", new KindPrinter(List.of(nameColumn(),
                        string("Secrets", "Number of secrets listed in the service account."), ageColumn()),
                        (o, now) -> row(name(o), (long) size(o, "secrets"), age(o, now)))),
                Map.entry("PersistentVolume", persistentVolume()),
                Map.entry("PersistentVolumeClaim", persistentVolumeClaim()),
                Map.entry("ResourceQuota", resourceQuota()),
                Map.entry("ReplicationController", replicationController()),
                Map.entry("ComponentStatus", componentStatus()),
                Map.entry("PodTemplate", new KindPrinter(List.of(nameColumn(),
                        string("Containers", "Names of the template's containers."),
                        string("Images", "Images of the template's containers."),
                        string("Pod Labels", "Labels of the template's pods.")),
                        (o, now) -> {
                            List<Object> containers = containerCells(at(o, "template", "spec"));
                            return row(name(o), containers.get(0), containers.get(1),
                                    formatLabels(at(o, "template", "metadata", "labels")));
                        })));
        Map<GroupKind, KindPrinter> out = new HashMap<>();
        byKind.forEach((kind, printer) -> out.put(new GroupKind("", kind), printer));
        out.put(new GroupKind("events.k8s.io", "Event"), byKind.get("Event"));
        return out;
    }

    /** Healthy or Unhealthy by the Healthy condition (Unknown without one), with its message and error. */
    private static KindPrinter componentStatus() {
        return new KindPrinter(List.of(nameColumn(), string("Status", "Status of the component conditions"),
                string("Message", "Message of the component conditions"),
                string("Error", "Error of the component conditions")),
                (o, now) -> {
                    for (JsonNode condition : o.path("conditions")) {
                        if (condition.path("type").asText().equals("Healthy")) {
                            return row(name(o), condition.path("status").asText().equals("True") ? "Healthy"
                                    : "Unhealthy", condition.path("message").asText(""),
                                    condition.path("error").asText(""));
                        }
                    }
                    return row(name(o), "Unknown", "", "");
                });
    }

    private static KindPrinter node() {
        return new KindPrinter(List.of(nameColumn(),
                string("Status", "Ready or NotReady, and SchedulingDisabled when cordoned."),
                string("Roles", "Roles from node-role.kubernetes.io/ labels."),
                ageColumn(),
                string("Version", "The kubelet's version."),
                string("Internal-IP", "The node's first internal IP address.").wide(),
                string("External-IP", "The node's first external IP address.").wide(),
                string("OS-Image", "The node's operating system image.").wide(),
                string("Kernel-Version", "The node's kernel version.").wide(),
                string("Container-Runtime", "The container runtime and its version.").wide()),
                CorePrinters::nodeCells);
    }

    private static List<Object> nodeCells(ObjectNode node, Instant now) {
        List<String> status = new ArrayList<>();
        for (JsonNode condition : items(node, "status", "conditions")) {
            if (text(condition, "type").equals("Ready")) {
                // the last Ready condition wins, as upstream keys conditions by type
                status.clear();
                status.add(text(condition, "status").equals("True") ? "Ready" : "NotReady");
            }
        }
        if (status.isEmpty()) {
            status.add("Unknown");
        }
        if (ObjectFields.bool(node, "spec", "unschedulable")) {
            status.add("SchedulingDisabled");
        }
        JsonNode info = at(node, "status", "nodeInfo");
        return row(name(node), String.join(",", status), nodeRoles(node), age(node, now), text(info, "kubeletVersion"),
                nodeAddress(node, "InternalIP"), nodeAddress(node, "ExternalIP"),
                orUnknown(text(info, "osImage")), orUnknown(text(info, "kernelVersion")),
                orUnknown(text(info, "containerRuntimeVersion")));
    }

    private static String nodeRoles(ObjectNode node) {
        TreeSet<String> roles = new TreeSet<>();
        at(node, "metadata", "labels").properties().forEach(label -> {
            String key = label.getKey();
            if (key.startsWith(NODE_ROLE_PREFIX) && key.length() > NODE_ROLE_PREFIX.length()) {
                roles.add(key.substring(NODE_ROLE_PREFIX.length()));
            } else if (key.equals(LEGACY_NODE_ROLE) && !label.getValue().asText().isEmpty()) {
                roles.add(label.getValue().asText());
            }
        });
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }

    private static String nodeAddress(ObjectNode node, String type) {
        for (JsonNode address : items(node, "status", "addresses")) {
            if (text(address, "type").equals(type)) {
                return text(address, "address");
            }
        }
        return "<none>";
    }

    private static KindPrinter service() {
        return new KindPrinter(List.of(nameColumn(),
                string("Type", "How the service is exposed."),
                string("Cluster-IP", "The service's virtual IP inside the cluster."),
                string("External-IP", "Addresses the service is reachable at from outside the cluster."),
                string("Port(s)", "Ports the service exposes, with node ports."),
                ageColumn(),
                string("Selector", "Labels of the pods the service routes to.").wide()),
                (svc, now) -> {
                    List<JsonNode> clusterIps = items(svc, "spec", "clusterIPs");
                    return row(name(svc), text(svc, "spec", "type"),
                            clusterIps.isEmpty() ? "<none>" : clusterIps.get(0).asText(),
                            serviceExternalIp(svc), servicePorts(svc), age(svc, now),
                            formatLabels(at(svc, "spec", "selector")));
                });
    }

    private static String serviceExternalIp(ObjectNode svc) {
        List<String> externalIps = new ArrayList<>();
        items(svc, "spec", "externalIPs").forEach(ip -> externalIps.add(ip.asText()));
        return switch (text(svc, "spec", "type")) {
            case "ClusterIP", "NodePort" -> externalIps.isEmpty() ? "<none>" : String.join(",", externalIps);
            case "LoadBalancer" -> {
                String lb = Addresses.loadBalancer(at(svc, "status", "loadBalancer"));
                List<String> all = new ArrayList<>();
                if (!lb.isEmpty()) {
                    all.addAll(List.of(lb.split(",")));
                }
                all.addAll(externalIps);
                yield all.isEmpty() ? "<pending>" : String.join(",", all);
            }
            case "ExternalName" -> text(svc, "spec", "externalName");
            default -> "<unknown>";
        };
    }

    private static String servicePorts(ObjectNode svc) {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : items(svc, "spec", "ports")) {
            long nodePort = integer(port, "nodePort");
            ports.add(integer(port, "port") + (nodePort > 0 ? ":" + nodePort : "") + "/" + text(port, "protocol"));
        }
        return ports.isEmpty() ? "<none>" : String.join(",", ports);
    }

    private static KindPrinter persistentVolume() {
        return new KindPrinter(List.of(nameColumn(),
                string("Capacity", "The volume's storage capacity."),
                string("Access Modes", "How the volume can be mounted: RWO, ROX, RWX, RWOP."),
                string("Reclaim Policy", "What happens to the volume when its claim is released."),
                string("Status", "The volume's phase."),
                string("Claim", "The claim bound to the volume, as namespace/name."),
                string("StorageClass", "The volume's storage class."),
                string("VolumeAttributesClass", "The volume's attributes class."),
                string("Reason", "Why the volume is in its phase."),
                ageColumn(),
                string("VolumeMode", "Filesystem or Block.").wide()),
                (pv, now) -> {
                    JsonNode claim = at(pv, "spec", "claimRef");
                    String claimRef = claim.isMissingNode() ? "" : text(claim, "namespace") + "/" + text(claim, "name");
                    String phase = present(pv, "metadata", "deletionTimestamp") ? "Terminating" : text(pv, "status", "phase");
                    String storageClass = present(pv, "metadata", "annotations", BETA_STORAGE_CLASS)
                            ? text(pv, "metadata", "annotations", BETA_STORAGE_CLASS) : text(pv, "spec", "storageClassName");
                    return row(name(pv), quantity(at(pv, "spec", "capacity", "storage")), accessModes(at(pv, "spec")),
                            text(pv, "spec", "persistentVolumeReclaimPolicy"), phase, claimRef, storageClass,
                            orUnset(pv, "spec", "volumeAttributesClassName"), text(pv, "status", "reason"),
                            age(pv, now), orUnset(pv, "spec", "volumeMode"));
                });
    }

    private static KindPrinter persistentVolumeClaim() {
        return new KindPrinter(List.of(nameColumn(),
                string("Status", "The claim's phase."),
                string("Volume", "The volume bound to the claim."),
                string("Capacity", "The bound volume's capacity."),
                string("Access Modes", "How the bound volume can be mounted."),
                string("StorageClass", "The claim's storage class."),
                string("VolumeAttributesClass", "The claim's volume attributes class."),
                ageColumn(),
                string("VolumeMode", "Filesystem or Block.").wide()),
                (pvc, now) -> {
                    String phase = present(pvc, "metadata", "deletionTimestamp") ? "Terminating" : text(pvc, "status", "phase");
                    String volume = text(pvc, "spec", "volumeName");
                    // capacity and modes are those of the bound volume, so only shown once bound
                    String capacity = volume.isEmpty() ? "" : quantity(at(pvc, "status", "capacity", "storage"));
                    String modes = volume.isEmpty() ? "" : accessModes(at(pvc, "status"));
                    String storageClass = present(pvc, "metadata", "annotations", BETA_STORAGE_CLASS)
                            ? text(pvc, "metadata", "annotations", BETA_STORAGE_CLASS) : text(pvc, "spec", "storageClassName");
                    return row(name(pvc), phase, volume, capacity, modes, storageClass,
                            orUnset(pvc, "spec", "volumeAttributesClassName"), age(pvc, now),
                            orUnset(pvc, "spec", "volumeMode"));
                });
    }

    /** Access modes in upstream's fixed order and abbreviations, duplicates dropped. */
    private static String accessModes(JsonNode holder) {
        List<String> modes = new ArrayList<>();
        items(holder, "accessModes").forEach(m -> modes.add(m.asText()));
        List<String> out = new ArrayList<>();
        for (String[] mode : new String[][] {{"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"},
                {"ReadWriteMany", "RWX"}, {"ReadWriteOncePod", "RWOP"}}) {
            if (modes.contains(mode[0])) {
                out.add(mode[1]);
            }
        }
        return String.join(",", out);
    }

    private static KindPrinter resourceQuota() {
        return new KindPrinter(List.of(nameColumn(),
                string("Request", "Used out of hard limit for each request-type resource."),
                string("Limit", "Used out of hard limit for each limits.* resource."),
                ageColumn()),
                (quota, now) -> {
                    List<String> requests = new ArrayList<>();
                    List<String> limits = new ArrayList<>();
                    TreeSet<String> resources = new TreeSet<>();
                    at(quota, "status", "hard").properties().forEach(e -> resources.add(e.getKey()));
                    for (String resource : resources) {
                        String cell = resource + ": " + quantity(at(quota, "status", "used", resource)) + "/"
                                + quantity(at(quota, "status", "hard", resource));
                        (resource.startsWith("limits.") ? limits : requests).add(cell);
                    }
                    return row(name(quota), String.join(", ", requests), String.join(", ", limits), age(quota, now));
                });
    }

    private static KindPrinter replicationController() {
        return new KindPrinter(List.of(nameColumn(),
                integer("Desired", "Desired number of pods."),
                integer("Current", "Number of pods that exist."),
                integer("Ready", "Number of ready pods."),
                ageColumn(),
                string("Containers", "Names of the template's containers.").wide(),
                string("Images", "Images of the template's containers.").wide(),
                string("Selector", "Labels of the pods it manages.").wide()),
                (rc, now) -> {
                    List<Object> containers = containerCells(at(rc, "spec", "template", "spec"));
                    return row(name(rc), integer(rc, "spec", "replicas"), integer(rc, "status", "replicas"),
                            integer(rc, "status", "readyReplicas"), age(rc, now), containers.get(0), containers.get(1),
                            formatLabels(at(rc, "spec", "selector")));
                });
    }

    private static String orUnknown(String value) {
        return value.isEmpty() ? "<unknown>" : value;
    }

    private static String orUnset(JsonNode object, String... path) {
        return present(object, path) ? text(object, path) : "<unset>";
    }
}
