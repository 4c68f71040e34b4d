package dev.konductor.api.validation;

import dev.konductor.api.meta.IdentifierSyntax;
import java.util.List;

/**
 * How a kind's {@code metadata.name} must look. Most kinds use DNS subdomains; names that end up
 * as DNS labels (Namespaces, Services) and RBAC names (path segments) are the exceptions.
 */
public enum NameRule {
    DNS_SUBDOMAIN,
    DNS1123_LABEL,
    /** Services: their names become DNS labels that must start with a letter. */
    DNS1035_LABEL,
    PATH_SEGMENT;

    /**
     * The problems with {@code name}; {@code prefix} is true for a {@code generateName}, whose
     * trailing dash is fine because a random suffix follows.
     */
    public List<String> check(String name, boolean prefix) {
        if (this == PATH_SEGMENT) {
            return IdentifierSyntax.pathSegmentName(name, prefix);
        }
        String checked = prefix && name.endsWith("-") ? name.substring(0, name.length() - 1) + "a" : name;
        return switch (this) {
            case DNS_SUBDOMAIN -> IdentifierSyntax.dns1123Subdomain(checked);
            case DNS1123_LABEL -> IdentifierSyntax.dns1123Label(checked);
            case DNS1035_LABEL -> IdentifierSyntax.dns1035Label(checked);
            case PATH_SEGMENT -> throw new AssertionError();
        };
    }
}
