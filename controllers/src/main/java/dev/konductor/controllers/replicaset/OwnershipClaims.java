package dev.konductor.controllers.replicaset;

import dev.konductor.controllers.framework.OwnerRefs;
import dev.konductor.controllers.framework.Selectors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's controller-ref manager: which objects (pods of a ReplicaSet, ReplicaSets of a
 * Deployment) an owner controls. An orphan matching the owner's selector is adopted (a
 * controller ownerReference is added); an owned object that stopped matching is released (the
 * reference removed); objects controlled by someone else are left alone.
 */
public final class OwnershipClaims {

    /** What to do with one candidate. */
    public enum Decision {
        /** Ours and matching. */
        KEEP,
        /** An orphan that matches: add our controller reference. */
        ADOPT,
        /** Ours but no longer matching: remove our reference. */
        RELEASE,
        /** Someone else's, or an orphan we must not take. */
        IGNORE
    }

    private final KubernetesClient client;

    public OwnershipClaims(KubernetesClient client) {
        this.client = client;
    }

    /** The decision for {@code candidate}, from the owner's uid, state and selector alone. */
    public static Decision decide(HasMetadata owner, LabelSelector selector, HasMetadata candidate) {
        boolean matches = Selectors.matches(selector, labels(candidate));
        boolean ownerDeleting = owner.getMetadata().getDeletionTimestamp() != null;
        Optional<OwnerReference> controller = OwnerRefs.controllerOf(candidate);
        if (controller.isPresent()) {
            if (!controller.get().getUid().equals(owner.getMetadata().getUid())) {
                return Decision.IGNORE;
            }
            if (matches) {
                return Decision.KEEP;
            }
            // an owner being deleted keeps what it has: the garbage collector handles it
            return ownerDeleting ? Decision.IGNORE : Decision.RELEASE;
        }
        if (ownerDeleting || !matches || candidate.getMetadata().getDeletionTimestamp() != null) {
            return Decision.IGNORE;
        }
        return Decision.ADOPT;
    }

    /**
     * Claims {@code candidates} for {@code owner}: adopts and releases through the API, and
     * returns the objects the owner controls afterwards (adopted ones as written).
     *
     * @param ownerRef   the controller reference to put on adopted objects
     * @param stillOwner re-reads the owner from the API before the first adoption and throws
     *                   if it is gone or being deleted (a stale cache must not adopt)
     */
    public <T extends HasMetadata> List<T> claim(HasMetadata owner, OwnerReference ownerRef, LabelSelector selector,
                                                 List<T> candidates, Runnable stillOwner) {
        List<T> owned = new ArrayList<>();
        boolean ownerChecked = false;
        for (T candidate : candidates) {
            switch (decide(owner, selector, candidate)) {
                case KEEP -> owned.add(candidate);
                case ADOPT -> {
                    if (!ownerChecked) {
                        stillOwner.run();
                        ownerChecked = true;
                    }
                    adopt(candidate, ownerRef).ifPresent(owned::add);
                }
                case RELEASE -> release(candidate, owner.getMetadata().getUid());
                case IGNORE -> {
                }
            }
        }
        return owned;
    }

    private <T extends HasMetadata> Optional<T> adopt(T candidate, OwnerReference ownerRef) {
        T copy = client.getKubernetesSerialization().clone(candidate);
        List<OwnerReference> refs = new ArrayList<>(orEmpty(copy.getMetadata().getOwnerReferences()));
        refs.add(ownerRef);
        copy.getMetadata().setOwnerReferences(refs);
        try {
            return Optional.of(client.resource(copy).update());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private <T extends HasMetadata> void release(T candidate, String ownerUid) {
        T copy = client.getKubernetesSerialization().clone(candidate);
        List<OwnerReference> refs = new ArrayList<>(orEmpty(copy.getMetadata().getOwnerReferences()));
        refs.removeIf(r -> ownerUid.equals(r.getUid()));
        copy.getMetadata().setOwnerReferences(refs);
        try {
            client.resource(copy).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private static Map<String, String> labels(HasMetadata obj) {
        Map<String, String> labels = obj.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
