package dev.konductor.api.conversion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceType;

/**
 * Converts objects between the version a client uses and the version they are stored as
 * ({@link ResourceType#storageVersion()}). Two built-ins differ: autoscaling/v1
 * HorizontalPodAutoscalers (stored as autoscaling/v2) and events.k8s.io/v1 Events (stored as
 * core v1 Events). Everything else converts as the identity, with {@code apiVersion} and
 * {@code kind} set.
 *
 * <p>Never mutates its argument (stored objects are shared with caches); returns the argument
 * itself when nothing needs to change. Stateless and thread-safe.
 */
public final class Converter {

    /** The object as it is stored, from the object as {@code served} clients send it. */
    public ObjectNode toStorage(ResourceType served, ObjectNode obj) {
        GroupVersionKind storage = served.storageVersion();
        if (served.isStorageVersion()) {
            return withTypeMeta(obj, storage);
        }
        ObjectNode out = switch (served.group() + "/" + served.version() + "/" + served.kind()) {
            case "autoscaling/v1/HorizontalPodAutoscaler" -> HorizontalPodAutoscalerConversion.v1ToV2(obj);
            case "events.k8s.io/v1/Event" -> EventConversion.eventsToCore(obj);
            default -> obj.deepCopy();
        };
        return withTypeMeta(out, storage);
    }

    /** The object as {@code served} clients see it, from its stored form. */
    public ObjectNode fromStorage(ResourceType served, ObjectNode stored) {
        if (served.isStorageVersion()) {
            return withTypeMeta(stored, served.gvk());
        }
        ObjectNode out = switch (served.group() + "/" + served.version() + "/" + served.kind()) {
            case "autoscaling/v1/HorizontalPodAutoscaler" -> HorizontalPodAutoscalerConversion.v2ToV1(stored);
            case "events.k8s.io/v1/Event" -> EventConversion.coreToEvents(stored);
            default -> stored.deepCopy();
        };
        return withTypeMeta(out, served.gvk());
    }

    private static ObjectNode withTypeMeta(ObjectNode obj, GroupVersionKind gvk) {
        if (gvk.apiVersion().equals(ObjectTree.text(obj, "apiVersion")) && gvk.kind().equals(ObjectTree.text(obj, "kind"))) {
            return obj;
        }
        ObjectNode copy = obj.objectNode();
        // apiVersion and kind first, as upstream serializes them.
        copy.put("apiVersion", gvk.apiVersion());
        copy.put("kind", gvk.kind());
        obj.properties().forEach(e -> {
            if (!e.getKey().equals("apiVersion") && !e.getKey().equals("kind")) {
                copy.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return copy;
    }
}
