package dev.konductor.apiserver.authz.rbac;

import dev.konductor.apiserver.authz.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether one set of rules holds every permission of another, as upstream's escalation check
 * decides it: the requested rules are broken down into single permissions (one verb on one
 * resource of one group, with at most one name; or one verb on one URL), and each must be
 * covered by some rule the user holds.
 */
public final class Coverage {

    private Coverage() {
    }

    /** The single permissions of {@code requested} that no rule of {@code owner} covers. */
    public static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> requested) {
        List<PolicyRule> missing = new ArrayList<>();
        for (PolicyRule rule : requested) {
            for (PolicyRule single : breakdown(rule)) {
                if (owner.stream().noneMatch(held -> covers(held, single))) {
                    missing.add(single);
                }
            }
        }
        return missing;
    }

    static List<PolicyRule> breakdown(PolicyRule rule) {
        List<PolicyRule> singles = new ArrayList<>();
        for (String group : rule.apiGroups()) {
            for (String resource : rule.resources()) {
                for (String verb : rule.verbs()) {
                    if (rule.resourceNames().isEmpty()) {
                        singles.add(PolicyRule.of(List.of(verb), List.of(group), List.of(resource), List.of()));
                    }
                    for (String name : rule.resourceNames()) {
                        singles.add(PolicyRule.of(List.of(verb), List.of(group), List.of(resource), List.of(name)));
                    }
                }
            }
        }
        for (String url : rule.nonResourceURLs()) {
            for (String verb : rule.verbs()) {
                singles.add(PolicyRule.nonResource(List.of(verb), List.of(url)));
            }
        }
        return singles;
    }

    /** Whether {@code owner} grants everything the single permission {@code single} does. */
    static boolean covers(PolicyRule owner, PolicyRule single) {
        boolean verbs = owner.verbs().contains(PolicyRule.ALL) || owner.verbs().containsAll(single.verbs());
        boolean groups = owner.apiGroups().contains(PolicyRule.ALL) || owner.apiGroups().containsAll(single.apiGroups());
        boolean names = owner.resourceNames().isEmpty()
                || (!single.resourceNames().isEmpty() && owner.resourceNames().containsAll(single.resourceNames()));
        return verbs && groups && names && resourcesCovered(owner.resources(), single.resources())
                && urlsCovered(owner.nonResourceURLs(), single.nonResourceURLs());
    }

    /** {@code *}, the same resource, or {@code *}{@code /sub} for a {@code x/sub} subresource. */
    private static boolean resourcesCovered(List<String> held, List<String> wanted) {
        if (held.contains(PolicyRule.ALL)) {
            return true;
        }
        for (String resource : wanted) {
            if (held.contains(resource)) {
                continue;
            }
            int slash = resource.indexOf('/');
            if (slash < 0 || !held.contains("*" + resource.substring(slash))) {
                return false;
            }
        }
        return true;
    }

    private static boolean urlsCovered(List<String> held, List<String> wanted) {
        for (String url : wanted) {
            boolean covered = held.stream().anyMatch(h -> h.equals(url)
                    || (h.endsWith(PolicyRule.ALL) && url.startsWith(h.substring(0, h.length() - 1))));
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /**
     * Merges single permissions that differ only in their verb, as upstream's CompactRules does
     * before reporting what is missing: {@code get} and {@code list} on pods become one rule.
     */
    static List<PolicyRule> compact(List<PolicyRule> singles) {
        Map<Target, Set<String>> verbs = new LinkedHashMap<>();
        List<PolicyRule> others = new ArrayList<>();
        for (PolicyRule rule : singles) {
            if (rule.nonResourceURLs().isEmpty() && rule.apiGroups().size() == 1 && rule.resources().size() == 1
                    && rule.resourceNames().size() <= 1) {
                verbs.computeIfAbsent(new Target(rule.apiGroups(), rule.resources(), rule.resourceNames()),
                        k -> new LinkedHashSet<>()).addAll(rule.verbs());
            } else {
                others.add(rule);
            }
        }
        List<PolicyRule> compacted = new ArrayList<>();
        verbs.forEach((target, verbSet) -> compacted.add(PolicyRule.of(List.copyOf(verbSet), target.groups(),
                target.resources(), target.names())));
        compacted.addAll(others);
        return compacted;
    }

    /** What a single resource permission is on, whatever its verb. */
    private record Target(List<String> groups, List<String> resources, List<String> names) {
    }
}
