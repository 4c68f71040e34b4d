package dev.konductor.apiserver.printers;

import static dev.konductor.apiserver.printers.ColumnDefinition.ageColumn;
import static dev.konductor.apiserver.printers.ColumnDefinition.bool;
import static dev.konductor.apiserver.printers.ColumnDefinition.integer;
import static dev.konductor.apiserver.printers.ColumnDefinition.nameColumn;
import static dev.konductor.apiserver.printers.ColumnDefinition.string;
import static dev.konductor.apiserver.printers.KindPrinter.row;
import static dev.konductor.apiserver.printers.ObjectFields.age;
import static dev.konductor.apiserver.printers.ObjectFields.at;
import static dev.konductor.apiserver.printers.ObjectFields.formatLabelSelector;
import static dev.konductor.apiserver.printers.ObjectFields.integer;
import static dev.konductor.apiserver.printers.ObjectFields.items;
import static dev.konductor.apiserver.printers.ObjectFields.name;
import static dev.konductor.apiserver.printers.ObjectFields.present;
import static dev.konductor.apiserver.printers.ObjectFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Printers for networking, discovery, coordination, RBAC, scheduling and storage kinds. */
final class ClusterPrinters {

    private static final String NETWORKING = "networking.k8s.io";
    private static final String RBAC = "rbac.authorization.k8s.io";

    private ClusterPrinters() {
    }

    static Map<GroupKind, KindPrinter> all() {
        return Map.of(
                new GroupKind("coordination.k8s.io", "Lease"), new KindPrinter(List.of(nameColumn(),
                        string("Holder", "The identity holding the lease."), ageColumn()),
                        (o, now) -> row(name(o), text(o, "spec", "holderIdentity"), age(o, now))),
                new GroupKind("discovery.k8s.io", "EndpointSlice"), new KindPrinter(List.of(nameColumn(),
                        string("AddressType", "IPv4, IPv6 or FQDN."),
                        string("Ports", "Up to three port numbers or names."),
                        string("Endpoints", "Up to three endpoint addresses."), ageColumn()),
                        (o, now) -> row(name(o), text(o, "addressType"), Addresses.slicePorts(o),
                                Addresses.sliceEndpoints(o), age(o, now))),
                new GroupKind(NETWORKING, "Ingress"), ingress(),
                new GroupKind(NETWORKING, "IngressClass"), ingressClass(),
                new GroupKind(NETWORKING, "NetworkPolicy"), new KindPrinter(List.of(nameColumn(),
                        string("Pod-Selector", "The pods the policy applies to."), ageColumn()),
                        (o, now) -> row(name(o), formatLabelSelector(at(o, "spec", "podSelector")), age(o, now))),
                new GroupKind(RBAC, "RoleBinding"), binding("role binding"),
                new GroupKind(RBAC, "ClusterRoleBinding"), binding("cluster role binding"),
                new GroupKind("scheduling.k8s.io", "PriorityClass"), priorityClass(),
                new GroupKind("storage.k8s.io", "StorageClass"), storageClass());
    }

    private static KindPrinter ingress() {
        return new KindPrinter(List.of(nameColumn(),
                string("Class", "The IngressClass that implements the ingress."),
                string("Hosts", "Hosts the rules match; * for any."),
                string("Address", "Addresses of the load balancer serving the ingress."),
                string("Ports", "80, and 443 when TLS is configured."),
                ageColumn()),
                (ing, now) -> row(name(ing),
                        present(ing, "spec", "ingressClassName") ? text(ing, "spec", "ingressClassName") : "<none>",
                        Addresses.ingressHosts(ing), Addresses.loadBalancer(at(ing, "status", "loadBalancer")),
                        items(ing, "spec", "tls").isEmpty() ? "80" : "80, 443", age(ing, now)));
    }

    private static KindPrinter ingressClass() {
        return new KindPrinter(List.of(nameColumn(),
                string("Controller", "The controller that implements the class."),
                string("Parameters", "The resource holding the class's parameters, as Kind.group/name."),
                ageColumn()),
                (ic, now) -> {
                    String parameters = "<none>";
                    JsonNode ref = at(ic, "spec", "parameters");
                    if (!ref.isMissingNode()) {
                        parameters = text(ref, "kind") + (present(ref, "apiGroup") ? "." + text(ref, "apiGroup") : "")
                                + "/" + text(ref, "name");
                    }
                    return row(name(ic), text(ic, "spec", "controller"), parameters, age(ic, now));
                });
    }

    private static KindPrinter binding(String what) {
        return new KindPrinter(List.of(nameColumn(),
                string("Role", "The granted role, as Kind/name."),
                ageColumn(),
                string("Users", "Users in the " + what + ".").wide(),
                string("Groups", "Groups in the " + what + ".").wide(),
                string("ServiceAccounts", "Service accounts in the " + what + ", as namespace:name.").wide()),
                ClusterPrinters::bindingCells);
    }

    private static List<Object> bindingCells(ObjectNode binding, Instant now) {
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> serviceAccounts = new ArrayList<>();
        for (JsonNode subject : items(binding, "subjects")) {
            switch (text(subject, "kind")) {
                case "User" -> users.add(text(subject, "name"));
                case "Group" -> groups.add(text(subject, "name"));
                case "ServiceAccount" -> serviceAccounts.add(text(subject, "namespace") + ":" + text(subject, "name"));
                default -> {
                    // upstream shows other subject kinds nowhere in the table
                }
            }
        }
        JsonNode role = at(binding, "roleRef");
        return row(name(binding), text(role, "kind") + "/" + text(role, "name"), age(binding, now),
                String.join(", ", users), String.join(", ", groups), String.join(", ", serviceAccounts));
    }

    private static KindPrinter priorityClass() {
        return new KindPrinter(List.of(nameColumn(),
                integer("Value", "The priority pods of this class get."),
                bool("Global-Default", "Whether pods without a class get this one."),
                ageColumn(),
                string("PreemptionPolicy", "Whether pods of this class preempt lower-priority pods.")),
                (pc, now) -> row(name(pc), integer(pc, "value"), ObjectFields.bool(pc, "globalDefault"), age(pc, now),
                        text(pc, "preemptionPolicy")));
    }

    private static KindPrinter storageClass() {
        return new KindPrinter(List.of(nameColumn(),
                string("Provisioner", "The volume plugin that provisions volumes."),
                string("ReclaimPolicy", "What happens to provisioned volumes when released."),
                string("VolumeBindingMode", "When volumes are bound and provisioned."),
                string("AllowVolumeExpansion", "Whether claims may grow."),
                ageColumn()),
                (sc, now) -> {
                    String name = isDefaultClass(sc) ? name(sc) + " (default)" : name(sc);
                    return row(name, text(sc, "provisioner"),
                            present(sc, "reclaimPolicy") ? text(sc, "reclaimPolicy") : "Delete",
                            present(sc, "volumeBindingMode") ? text(sc, "volumeBindingMode") : "Immediate",
                            ObjectFields.bool(sc, "allowVolumeExpansion"), age(sc, now));
                });
    }

    private static boolean isDefaultClass(ObjectNode sc) {
        JsonNode annotations = at(sc, "metadata", "annotations");
        return text(annotations, "storageclass.kubernetes.io/is-default-class").equals("true")
                || text(annotations, "storageclass.beta.kubernetes.io/is-default-class").equals("true");
    }
}
