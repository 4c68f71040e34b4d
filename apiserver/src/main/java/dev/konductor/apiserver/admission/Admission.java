package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;

/**
 * A mutating/validating admission step, run after defaulting and before validation and
 * storage, as upstream's admission plugins. Rejects by throwing StatusException.
 */
public interface Admission {

    enum Operation { CREATE, UPDATE, DELETE }

    /**
     * @param old     the current object for UPDATE and DELETE, null for CREATE
     * @param dryRun  whether nothing will be persisted (allocators must not keep what they hand out)
     */
    void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, boolean dryRun);

    /**
     * Whether this step runs after the object has passed validation (upstream's validating
     * admission, e.g. ResourceQuota, which must not charge for objects that would be refused
     * anyway) rather than before it.
     */
    default boolean afterValidation() {
        return false;
    }
}
