package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.apiserver.authn.UserInfo;

/**
 * A mutating/validating admission step, run after defaulting and before validation and
 * storage, as upstream's admission plugins. Rejects by throwing StatusException.
 */
public interface Admission {

    enum Operation { CREATE, UPDATE, DELETE }

    /**
     * What upstream's admission attributes carry besides the objects.
     *
     * @param user        who asks
     * @param subresource the subresource written ({@code status}, {@code binding}...), "" for the object itself
     * @param dryRun      whether nothing will be persisted (allocators must not keep what they hand out)
     */
    record Request(UserInfo user, String subresource, boolean dryRun) {

        /** The API server acting on its own (bootstrap objects, tests of a single step). */
        public static Request internal(boolean dryRun) {
            return new Request(UserInfo.of("system:apiserver", java.util.List.of("system:masters")), "", dryRun);
        }

        public Request {
            subresource = subresource == null ? "" : subresource;
        }
    }

    /** @param old the current object for UPDATE and DELETE, null for CREATE */
    void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request);

    /**
     * Whether this step runs after the object has passed validation (upstream's validating
     * admission, e.g. ResourceQuota, which must not charge for objects that would be refused
     * anyway) rather than before it.
     */
    default boolean afterValidation() {
        return false;
    }
}
