package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Validation of {@code metadata}, common to every kind (upstream's {@code ValidateObjectMeta}). */
public final class ObjectMetaValidation {

    /** Upstream's limit on the total size of all annotation keys and values. */
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

    private static final FieldPath METADATA = FieldPath.of("metadata");

    private ObjectMetaValidation() {
    }

    /**
     * Validates the metadata of an object being created.
     *
     * @param namespaced whether the kind lives in namespaces (then a namespace is required, else forbidden)
     */
    public static List<FieldError> validate(ObjectNode object, boolean namespaced, NameRule nameRule) {
        List<FieldError> errs = new ArrayList<>();
        validate(errs, ObjectMetaView.of(object), namespaced, nameRule, METADATA);
        return errs;
    }

    static void validate(List<FieldError> errs, ObjectMetaView meta, boolean namespaced, NameRule nameRule,
                         FieldPath path) {
        String generateName = meta.generateName();
        if (!generateName.isEmpty()) {
            FieldChecks.invalidEach(errs, path.child("generateName"), generateName, nameRule.check(generateName, true));
        }
        String name = meta.name();
        if (name.isEmpty()) {
            // The server generates the name from generateName before it validates; accept either order.
            if (generateName.isEmpty()) {
                errs.add(FieldError.required(path.child("name").toString(), "name or generateName is required"));
            }
        } else {
            FieldChecks.invalidEach(errs, path.child("name"), name, nameRule.check(name, false));
        }
        String namespace = meta.namespace();
        if (namespaced) {
            if (namespace.isEmpty()) {
                errs.add(FieldError.required(path.child("namespace").toString()));
            } else {
                FieldChecks.invalidEach(errs, path.child("namespace"), namespace, IdentifierSyntax.dns1123Label(namespace));
            }
        } else if (!namespace.isEmpty()) {
            errs.add(FieldError.forbidden(path.child("namespace").toString(), "not allowed on this type"));
        }
        FieldChecks.nonNegative(errs, meta.metadata(), "generation", path.child("generation"));
        common(errs, meta, path);
        finalizers(errs, meta.finalizers(), path.child("finalizers"));
    }

    /** Labels, annotations and owner references: checked on create and on every update. */
    static void common(List<FieldError> errs, ObjectMetaView meta, FieldPath path) {
        FieldChecks.labels(errs, meta.labels(), path.child("labels"));
        annotations(errs, meta.annotations(), path.child("annotations"));
        ownerReferences(errs, meta.ownerReferences(), path.child("ownerReferences"));
    }

    static void annotations(List<FieldError> errs, Map<String, String> annotations, FieldPath path) {
        long size = 0;
        for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
            // Annotation keys are qualified names in which case does not matter.
            FieldChecks.invalidEach(errs, path, e.getKey(),
                    IdentifierSyntax.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)));
            size += e.getKey().length() + e.getValue().length();
        }
        if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errs.add(FieldError.tooLong(path.toString(), TOTAL_ANNOTATION_SIZE_LIMIT));
        }
    }

    private static void ownerReferences(List<FieldError> errs, List<ObjectNode> refs, FieldPath path) {
        int controllers = 0;
        for (ObjectNode ref : refs) {
            String apiVersion = ObjectTree.textOrEmpty(ref, "apiVersion");
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            if (version.isEmpty()) {
                errs.add(FieldError.invalid(path.child("apiVersion").toString(), apiVersion, "version must not be empty"));
            }
            for (String field : List.of("kind", "name", "uid")) {
                String value = ObjectTree.textOrEmpty(ref, field);
                if (value.isEmpty()) {
                    errs.add(FieldError.invalid(path.child(field).toString(), value, field + " must not be empty"));
                }
            }
            if (Boolean.TRUE.equals(ObjectTree.bool(ref, "controller"))) {
                controllers++;
            }
        }
        if (controllers > 1) {
            errs.add(FieldError.invalid(path.toString(), controllers,
                    "Only one reference can have Controller set to true"));
        }
    }

    private static void finalizers(List<FieldError> errs, List<String> finalizers, FieldPath path) {
        for (String f : finalizers) {
            FieldChecks.invalidEach(errs, path, f, IdentifierSyntax.qualifiedName(f));
        }
        if (finalizers.contains("orphan") && finalizers.contains("foregroundDeletion")) {
            errs.add(FieldError.invalid(path.toString(), GoLiteral.strings(finalizers),
                    "finalizer orphan and foregroundDeletion cannot be both set"));
        }
    }

    /**
     * Validates the metadata of an update. The API server must have copied the stored
     * {@code resourceVersion} into an unconditional update before calling this, as upstream does.
     */
    static void validateUpdate(List<FieldError> errs, ObjectNode newObj, ObjectNode oldObj) {
        ObjectMetaView n = ObjectMetaView.of(newObj);
        ObjectMetaView o = ObjectMetaView.of(oldObj);
        if (!o.deletionTimestamp().isEmpty()) {
            for (String f : n.finalizers()) {
                if (!o.finalizers().contains(f)) {
                    errs.add(FieldError.forbidden(METADATA.child("finalizers").toString(),
                            "no new finalizers can be added if the object is being deleted, found new finalizers "
                                    + GoLiteral.strings(List.of(f))));
                }
            }
        }
        if (n.resourceVersion().isEmpty()) {
            errs.add(FieldError.invalid("metadata.resourceVersion", "", "must be specified for an update"));
        }
        Long newGen = ObjectTree.integer(n.metadata(), "generation");
        Long oldGen = ObjectTree.integer(o.metadata(), "generation");
        if (newGen != null && oldGen != null && newGen < oldGen) {
            errs.add(FieldError.invalid("metadata.generation", newGen, "must not be decremented"));
        }
        for (String field : List.of("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                "deletionGracePeriodSeconds")) {
            JsonNode nv = n.metadata().get(field);
            JsonNode ov = o.metadata().get(field);
            if (!FieldChecks.same(nv, ov)) {
                errs.add(FieldError.invalid(METADATA.child(field).toString(), nv == null ? "" : nv, FieldChecks.IMMUTABLE));
            }
        }
        common(errs, n, METADATA);
        finalizers(errs, n.finalizers(), METADATA.child("finalizers"));
    }
}
