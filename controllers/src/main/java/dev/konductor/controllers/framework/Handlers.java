package dev.konductor.controllers.framework;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/** Informer event handlers for the common case: the same action (usually an enqueue) on every change. */
public final class Handlers {

    private Handlers() {
    }

    /** Calls {@code action} with the object added, the new object of an update, and the object deleted. */
    public static <T> ResourceEventHandler<T> onChange(Consumer<T> action) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                action.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                action.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                action.accept(obj);
            }
        };
    }

    /** As {@link #onChange}, ignoring deletions (the reconcile notices the object is gone by itself). */
    public static <T> ResourceEventHandler<T> onAddOrUpdate(Consumer<T> action) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                action.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                action.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                // deletions need no action: the reconcile finds the object gone
            }
        };
    }
}
