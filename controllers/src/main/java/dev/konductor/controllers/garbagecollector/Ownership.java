package dev.konductor.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The garbage collector's verdict on one dependent, given what became of each of its owners
 * (upstream's attemptToDeleteItem, as a pure function): keep it while a live owner remains,
 * dropping references to owners that are gone or waiting for their dependents; otherwise delete
 * it, in the foreground when an owner is waiting and it has dependents of its own.
 */
final class Ownership {

    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";

    private Ownership() {
    }

    /** What became of one owner. */
    enum OwnerState {
        /** Exists, and is not being deleted in the foreground (or cannot be resolved: left alone). */
        SOLID,
        /** Gone, or replaced by another object of the same name (different uid). */
        DANGLING,
        /** Being deleted in the foreground: waits for its dependents to go first. */
        WAITING
    }

    sealed interface Decision permits Keep, RemoveOwnerReferences, Delete {
    }

    /** Nothing to do. */
    record Keep() implements Decision {
    }

    /** Still owned: drop the references (by owner uid) to owners that are gone or waiting. */
    record RemoveOwnerReferences(Set<String> ownerUids) implements Decision {
    }

    /** No live owner left: delete with this propagation policy. */
    record Delete(String propagationPolicy) implements Decision {
    }

    /**
     * @param refs          the dependent's owner references
     * @param states        owner uid → what became of that owner (every ref's uid must be present)
     * @param hasDependents whether anything names the dependent as its owner
     * @param finalizers    the dependent's own finalizers
     */
    static Decision decide(List<OwnerReference> refs, Map<String, OwnerState> states, boolean hasDependents,
                           List<String> finalizers) {
        if (refs == null || refs.isEmpty()) {
            return new Keep();
        }
        boolean solid = false;
        boolean waiting = false;
        Set<String> notSolid = new LinkedHashSet<>();
        for (OwnerReference ref : refs) {
            OwnerState state = states.get(ref.getUid());
            if (state == null) {
                throw new IllegalArgumentException("no state for owner " + ref.getUid());
            }
            switch (state) {
                case SOLID -> solid = true;
                case DANGLING -> notSolid.add(ref.getUid());
                case WAITING -> {
                    waiting = true;
                    notSolid.add(ref.getUid());
                }
            }
        }
        if (solid) {
            return notSolid.isEmpty() ? new Keep() : new RemoveOwnerReferences(notSolid);
        }
        if (waiting && hasDependents) {
            return new Delete("Foreground");
        }
        List<String> own = finalizers == null ? List.of() : finalizers;
        if (own.contains(ORPHAN)) {
            return new Delete("Orphan");
        }
        if (own.contains(FOREGROUND)) {
            return new Delete("Foreground");
        }
        return new Delete("Background");
    }
}
