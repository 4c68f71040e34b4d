package dev.konductor.controllers.history;

import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.OwnerRefs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes an owner's ControllerRevisions: lists them from the informer cache, creates
 * them (resolving hash collisions by counting up the owner's collision count, as upstream does),
 * renumbers one on rollback, and trims old ones beyond the owner's history limit.
 */
public final class ControllerHistory {

    /** Upper bound on collision-count retries; reaching it means something else owns our names. */
    private static final int MAX_COLLISIONS = 100;

    private final KubernetesClient client;
    private final Lister<ControllerRevision> revisions;

    public ControllerHistory(KubernetesClient client, Lister<ControllerRevision> revisions) {
        this.client = client;
        this.revisions = revisions;
    }

    /** A stored revision and the collision count that named it. */
    public record Stored(ControllerRevision revision, int collisionCount) {
    }

    /** The revisions {@code owner} controls, oldest first. */
    public List<ControllerRevision> owned(HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        List<ControllerRevision> owned = new ArrayList<>(revisions.list(owner.getMetadata().getNamespace()).stream()
                .filter(r -> OwnerRefs.isControlledBy(r, uid)).toList());
        owned.sort(Revisions.BY_REVISION);
        return owned;
    }

    /**
     * Stores a revision of {@code template} numbered {@code revisionNumber}. If the name is taken by a
     * revision with the same data, that one is returned; if it is taken by different data, the
     * collision count goes up and a new name is tried.
     */
    public Stored create(HasMetadata owner, PodTemplateSpec template, String hashLabel, long revisionNumber,
                         int collisionCount) {
        int count = collisionCount;
        for (int attempt = 0; attempt < MAX_COLLISIONS; attempt++, count++) {
            ControllerRevision wanted = Revisions.build(owner, template, hashLabel, revisionNumber, count);
            try {
                return new Stored(client.apps().controllerRevisions().inNamespace(owner.getMetadata().getNamespace())
                        .resource(wanted).create(), count);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                ControllerRevision existing = client.apps().controllerRevisions()
                        .inNamespace(owner.getMetadata().getNamespace())
                        .withName(wanted.getMetadata().getName()).get();
                if (existing == null) {
                    throw e; // deleted meanwhile: let the caller retry the whole sync
                }
                if (Revisions.sameData(existing, wanted)
                        && OwnerRefs.isControlledBy(existing, owner.getMetadata().getUid())) {
                    return new Stored(existing, count);
                }
            }
        }
        throw new IllegalStateException("no free ControllerRevision name for " + owner.getMetadata().getName()
                + " after " + MAX_COLLISIONS + " hash collisions");
    }

    /** Gives {@code revision} a new number (a rollback to an earlier template makes it the newest). */
    public ControllerRevision renumber(ControllerRevision revision, long revisionNumber) {
        if (revision.getRevision() != null && revision.getRevision() == revisionNumber) {
            return revision;
        }
        ControllerRevision updated = new ControllerRevisionBuilder(revision).withRevision(revisionNumber).build();
        return client.apps().controllerRevisions().inNamespace(revision.getMetadata().getNamespace())
                .resource(updated).update();
    }

    /**
     * Deletes the oldest of {@code candidates} (oldest first) until at most {@code limit} remain,
     * never one whose name is in {@code inUse}.
     */
    public void truncate(List<ControllerRevision> candidates, Set<String> inUse, int limit) {
        List<ControllerRevision> removable = new ArrayList<>(candidates.stream()
                .filter(r -> !inUse.contains(r.getMetadata().getName())).toList());
        removable.sort(Revisions.BY_REVISION);
        int excess = removable.size() - Math.max(0, limit);
        for (ControllerRevision old : removable.subList(0, Math.max(0, excess))) {
            delete(old);
        }
    }

    public void delete(ControllerRevision revision) {
        try {
            client.apps().controllerRevisions().inNamespace(revision.getMetadata().getNamespace())
                    .withName(revision.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }
}
