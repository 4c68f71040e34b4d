package dev.konductor.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Optional;

/** Owner references as controllers write and read them. */
public final class OwnerRefs {

    private OwnerRefs() {
    }

    /** The reference a controller puts on what it creates: controller=true, blockOwnerDeletion=true. */
    public static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** The owner reference marked controller=true, if any. */
    public static Optional<OwnerReference> controllerOf(HasMetadata obj) {
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (refs == null) {
            return Optional.empty();
        }
        return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    /** True if {@code obj} is controlled by the object with {@code uid}. */
    public static boolean isControlledBy(HasMetadata obj, String uid) {
        return controllerOf(obj).map(r -> uid.equals(r.getUid())).orElse(false);
    }
}
