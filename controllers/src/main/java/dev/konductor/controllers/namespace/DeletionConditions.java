package dev.konductor.controllers.namespace;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The five status conditions the namespace controller keeps on a terminating namespace, as
 * upstream words them: each is {@code False} with an "all good" reason until a deletion pass
 * reports trouble of its kind, then {@code True} with what went wrong.
 */
final class DeletionConditions {

    static final String DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure";
    static final String GROUP_VERSION_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure";
    static final String CONTENT_FAILURE = "NamespaceDeletionContentFailure";
    static final String CONTENT_REMAINING = "NamespaceContentRemaining";
    static final String FINALIZERS_REMAINING = "NamespaceFinalizersRemaining";

    /** The order upstream keeps them in. */
    static final List<String> TYPES = List.of(DISCOVERY_FAILURE, GROUP_VERSION_PARSING_FAILURE, CONTENT_FAILURE,
            CONTENT_REMAINING, FINALIZERS_REMAINING);

    private static final Map<String, String[]> OK = Map.of(
            DISCOVERY_FAILURE, new String[] {"ResourcesDiscovered", "All resources successfully discovered"},
            GROUP_VERSION_PARSING_FAILURE, new String[] {"ParsedGroupVersions", "All legacy kube types successfully parsed"},
            CONTENT_FAILURE, new String[] {"ContentDeleted",
                    "All content successfully deleted, may be waiting on finalization"},
            CONTENT_REMAINING, new String[] {"ContentRemoved", "All content successfully removed"},
            FINALIZERS_REMAINING, new String[] {"ContentHasNoFinalizers", "All content-preserving finalizers finished"});

    private DeletionConditions() {
    }

    /**
     * What one deletion pass found.
     *
     * @param discoveryFailure     discovery's error text, null if every group answered
     * @param failingGroups        how many group versions discovery could not read (0 when discovery
     *                             failed as a whole)
     * @param groupVersionFailure  a group version that could not be parsed, null if none
     * @param contentErrors        one message per resource type whose content could not be deleted
     * @param remaining            {@code plural.group} → objects still there
     * @param finalizersRemaining  finalizer → objects still carrying it
     */
    record Findings(String discoveryFailure, int failingGroups, String groupVersionFailure, List<String> contentErrors,
                    Map<String, Integer> remaining, Map<String, Integer> finalizersRemaining) {
    }

    /** The conditions {@code findings} call for. */
    static List<NamespaceCondition> wanted(Findings findings, Instant now) {
        List<NamespaceCondition> wanted = new ArrayList<>();
        if (findings.discoveryFailure() != null) {
            String message = findings.failingGroups() > 0
                    ? "Discovery failed for some groups, " + findings.failingGroups() + " failing: "
                            + findings.discoveryFailure()
                    : findings.discoveryFailure();
            wanted.add(failed(DISCOVERY_FAILURE, "DiscoveryFailed", message, now));
        }
        if (findings.groupVersionFailure() != null) {
            wanted.add(failed(GROUP_VERSION_PARSING_FAILURE, "GroupVersionParsingFailed",
                    findings.groupVersionFailure(), now));
        }
        if (!findings.contentErrors().isEmpty()) {
            List<String> sorted = findings.contentErrors().stream().sorted().toList();
            wanted.add(failed(CONTENT_FAILURE, "ContentDeletionFailed", "Failed to delete all resource types, "
                    + sorted.size() + " remaining: " + String.join(", ", sorted), now));
        }
        String remaining = findings.remaining().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " has " + e.getValue() + " resource instances").sorted()
                .collect(Collectors.joining(", "));
        if (!remaining.isEmpty()) {
            wanted.add(failed(CONTENT_REMAINING, "SomeResourcesRemain", "Some resources are remaining: " + remaining, now));
        }
        String finalizers = findings.finalizersRemaining().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " in " + e.getValue() + " resource instances").sorted()
                .collect(Collectors.joining(", "));
        if (!finalizers.isEmpty()) {
            wanted.add(failed(FINALIZERS_REMAINING, "SomeFinalizersRemain",
                    "Some content in the namespace has finalizers remaining: " + finalizers, now));
        }
        return wanted;
    }

    /**
     * {@code current} with every maintained condition brought to what {@code wanted} says (or its
     * "all good" form when absent); the transition time moves only when the status flips. Other
     * conditions are kept. Returns null when nothing changed.
     */
    static List<NamespaceCondition> merge(List<NamespaceCondition> current, List<NamespaceCondition> wanted,
                                          Instant now) {
        List<NamespaceCondition> result = new ArrayList<>();
        if (current != null) {
            current.forEach(c -> result.add(new NamespaceConditionBuilder(c).build()));
        }
        boolean changed = false;
        for (String type : TYPES) {
            NamespaceCondition want = find(wanted, type);
            if (want == null) {
                want = new NamespaceConditionBuilder().withType(type).withStatus("False")
                        .withReason(OK.get(type)[0]).withMessage(OK.get(type)[1])
                        .withLastTransitionTime(timestamp(now)).build();
            }
            NamespaceCondition old = find(result, type);
            if (old == null) {
                result.add(want);
                changed = true;
            } else if (!Objects.equals(old.getStatus(), want.getStatus())
                    || !Objects.equals(old.getReason(), want.getReason())
                    || !Objects.equals(old.getMessage(), want.getMessage())) {
                if (!Objects.equals(old.getStatus(), want.getStatus())) {
                    old.setLastTransitionTime(timestamp(now));
                }
                old.setStatus(want.getStatus());
                old.setReason(want.getReason());
                old.setMessage(want.getMessage());
                changed = true;
            }
        }
        return changed ? result : null;
    }

    private static NamespaceCondition failed(String type, String reason, String message, Instant now) {
        return new NamespaceConditionBuilder().withType(type).withStatus("True").withReason(reason)
                .withMessage(message).withLastTransitionTime(timestamp(now)).build();
    }

    private static NamespaceCondition find(List<NamespaceCondition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
