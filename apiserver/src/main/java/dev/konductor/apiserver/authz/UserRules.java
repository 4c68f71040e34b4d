package dev.konductor.apiserver.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules a user holds in a namespace, as upstream's rule resolvers report them: the rules,
 * whether the list may be missing some ({@code incomplete}: an authorizer that cannot enumerate
 * its rules, or a binding whose role could not be read), and the errors met on the way.
 */
public record UserRules(List<PolicyRule> rules, boolean incomplete, List<String> errors) {

    public static final UserRules NONE = new UserRules(List.of(), false, List.of());

    public UserRules {
        rules = List.copyOf(rules);
        errors = List.copyOf(errors);
    }

    /** Both lists of rules, incomplete if either is. */
    public UserRules plus(UserRules other) {
        List<PolicyRule> allRules = new ArrayList<>(rules);
        allRules.addAll(other.rules);
        List<String> allErrors = new ArrayList<>(errors);
        allErrors.addAll(other.errors);
        return new UserRules(allRules, incomplete || other.incomplete, allErrors);
    }
}
