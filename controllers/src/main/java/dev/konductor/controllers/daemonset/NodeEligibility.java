package dev.konductor.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which nodes a DaemonSet's pod belongs on, decided as upstream's {@code NodeShouldRunDaemonPod}:
 * the template's nodeName, nodeSelector and required node affinity must match the node, and every
 * NoSchedule/NoExecute taint must be tolerated — counting the tolerations upstream adds to every
 * daemon pod, so that daemons keep running on nodes that are not ready, unreachable, under
 * pressure or cordoned. A pod already there may stay unless an untolerated NoExecute taint
 * appears. Pure functions over the model.
 */
final class NodeEligibility {

    /** The field a daemon pod's node affinity pins it with. */
    static final String NODE_NAME_FIELD = "metadata.name";

    private NodeEligibility() {
    }

    /**
     * @param shouldRun             a daemon pod should be created on the node
     * @param shouldContinueRunning a daemon pod already on the node may stay
     */
    record Verdict(boolean shouldRun, boolean shouldContinueRunning) {
        static final Verdict RUN = new Verdict(true, true);
        static final Verdict NEITHER = new Verdict(false, false);
    }

    static Verdict of(Node node, PodSpec template) {
        String nodeName = node.getMetadata().getName();
        if (template.getNodeName() != null && !template.getNodeName().isEmpty()
                && !template.getNodeName().equals(nodeName)) {
            return Verdict.NEITHER;
        }
        if (!matchesNodeSelector(node, template.getNodeSelector()) || !matchesRequiredAffinity(node, template)) {
            return Verdict.NEITHER;
        }
        List<Toleration> tolerations = withDaemonTolerations(template);
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints();
        boolean untoleratedScheduling = taints.stream()
                .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                .anyMatch(t -> !tolerated(t, tolerations));
        if (!untoleratedScheduling) {
            return Verdict.RUN;
        }
        boolean untoleratedExecution = taints.stream()
                .filter(t -> "NoExecute".equals(t.getEffect()))
                .anyMatch(t -> !tolerated(t, tolerations));
        return new Verdict(false, !untoleratedExecution);
    }

    static boolean matchesNodeSelector(Node node, Map<String, String> nodeSelector) {
        if (nodeSelector == null || nodeSelector.isEmpty()) {
            return true;
        }
        Map<String, String> labels = labels(node);
        return nodeSelector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static boolean matchesRequiredAffinity(Node node, PodSpec spec) {
        NodeSelector required = Optional.ofNullable(spec.getAffinity()).map(Affinity::getNodeAffinity)
                .map(a -> a.getRequiredDuringSchedulingIgnoredDuringExecution()).orElse(null);
        if (required == null) {
            return true;
        }
        // the terms are ORed; a term with no requirements matches nothing
        return required.getNodeSelectorTerms() != null
                && required.getNodeSelectorTerms().stream().anyMatch(term -> matchesTerm(node, term));
    }

    private static boolean matchesTerm(Node node, NodeSelectorTerm term) {
        List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null ? List.of()
                : term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false;
        }
        Map<String, String> labels = labels(node);
        Map<String, String> nodeFields = Map.of(NODE_NAME_FIELD, node.getMetadata().getName());
        return expressions.stream().allMatch(r -> matches(r, labels))
                && fields.stream().allMatch(r -> matches(r, nodeFields));
    }

    private static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String value = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            case "Gt", "Lt" -> value != null && values.size() == 1 && compareIntegers(value, values.getFirst(),
                    r.getOperator());
            default -> false;
        };
    }

    private static boolean compareIntegers(String labelValue, String bound, String operator) {
        try {
            long label = Long.parseLong(labelValue);
            long limit = Long.parseLong(bound);
            return operator.equals("Gt") ? label > limit : label < limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** True if one of {@code tolerations} tolerates {@code taint} (upstream's ToleratesTaint). */
    static boolean tolerated(Taint taint, List<Toleration> tolerations) {
        return tolerations.stream().anyMatch(t -> tolerates(t, taint));
    }

    private static boolean tolerates(Toleration toleration, Taint taint) {
        String effect = toleration.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String key = toleration.getKey();
        if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator() == null || toleration.getOperator().isEmpty() ? "Equal"
                : toleration.getOperator();
        return switch (operator) {
            case "Exists" -> true;
            case "Equal" -> (key != null && !key.isEmpty())
                    && nullToEmpty(toleration.getValue()).equals(nullToEmpty(taint.getValue()));
            default -> false;
        };
    }

    /**
     * The template's tolerations plus those every daemon pod gets (upstream's
     * AddOrUpdateDaemonPodTolerations), without duplicating ones the template already has.
     */
    static List<Toleration> withDaemonTolerations(PodSpec spec) {
        List<Toleration> all = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
        addIfMissing(all, "node.kubernetes.io/not-ready", "NoExecute");
        addIfMissing(all, "node.kubernetes.io/unreachable", "NoExecute");
        addIfMissing(all, "node.kubernetes.io/disk-pressure", "NoSchedule");
        addIfMissing(all, "node.kubernetes.io/memory-pressure", "NoSchedule");
        addIfMissing(all, "node.kubernetes.io/pid-pressure", "NoSchedule");
        addIfMissing(all, "node.kubernetes.io/unschedulable", "NoSchedule");
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            addIfMissing(all, "node.kubernetes.io/network-unavailable", "NoSchedule");
        }
        return all;
    }

    private static void addIfMissing(List<Toleration> tolerations, String key, String effect) {
        Toleration wanted = new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
        // the same toleration (say, with tolerationSeconds) is replaced where it stands, as upstream does
        for (int i = 0; i < tolerations.size(); i++) {
            Toleration t = tolerations.get(i);
            if (key.equals(t.getKey()) && effect.equals(t.getEffect()) && "Exists".equals(t.getOperator())
                    && (t.getValue() == null || t.getValue().isEmpty())) {
                tolerations.set(i, wanted);
                return;
            }
        }
        tolerations.add(wanted);
    }

    /**
     * The affinity of a daemon pod for {@code nodeName}: the template's, with its required node
     * affinity replaced by {@code metadata.name In [nodeName]} (the node was already checked against
     * the template's own terms), so that the scheduler binds it to that node.
     */
    static Affinity pinnedTo(Affinity template, String nodeName) {
        NodeSelectorRequirement pin = new NodeSelectorRequirementBuilder().withKey(NODE_NAME_FIELD)
                .withOperator("In").withValues(nodeName).build();
        AffinityBuilder affinity = template == null ? new AffinityBuilder() : new AffinityBuilder(template);
        if (!affinity.hasNodeAffinity()) {
            affinity.withNewNodeAffinity().endNodeAffinity();
        }
        return affinity.editNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().withMatchFields(pin).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().build();
    }

    /**
     * The node a daemon pod is on or is meant for: its nodeName once bound, else the node its
     * {@code metadata.name In [node]} affinity pins it to (upstream's GetTargetNodeName).
     */
    static Optional<String> targetNode(io.fabric8.kubernetes.api.model.Pod pod) {
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return Optional.of(pod.getSpec().getNodeName());
        }
        return Optional.ofNullable(pod.getSpec().getAffinity()).map(Affinity::getNodeAffinity)
                .map(a -> a.getRequiredDuringSchedulingIgnoredDuringExecution())
                .map(NodeSelector::getNodeSelectorTerms).stream().flatMap(List::stream)
                .flatMap(term -> term.getMatchFields() == null ? java.util.stream.Stream.empty()
                        : term.getMatchFields().stream())
                .filter(r -> NODE_NAME_FIELD.equals(r.getKey()) && "In".equals(r.getOperator())
                        && r.getValues() != null && r.getValues().size() == 1)
                .map(r -> r.getValues().getFirst()).findFirst();
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
