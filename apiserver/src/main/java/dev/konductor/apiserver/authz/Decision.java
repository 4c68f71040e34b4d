package dev.konductor.apiserver.authz;

/**
 * An authorizer's verdict, as upstream's: allow, deny (no later authorizer is asked), or no
 * opinion (ask the next one; a request nobody allows is forbidden). The reason is what a
 * SubjectAccessReview reports and, for a denial, what the 403 message ends with.
 */
public sealed interface Decision {

    String reason();

    default boolean allowed() {
        return this instanceof Allow;
    }

    record Allow(String reason) implements Decision {
    }

    record Deny(String reason) implements Decision {
    }

    record NoOpinion(String reason) implements Decision {
    }
}
