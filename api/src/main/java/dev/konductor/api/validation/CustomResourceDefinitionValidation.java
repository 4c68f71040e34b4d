package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectMetaView;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Validation of apiextensions.k8s.io/v1 CustomResourceDefinitions: names, group, versions, schemas. */
final class CustomResourceDefinitionValidation {

    private static final FieldPath SPEC = FieldPath.of("spec");

    private CustomResourceDefinitionValidation() {
    }

    static void validate(List<FieldError> errs, ObjectNode crd) {
        ObjectNode spec = ObjectTree.object(crd, "spec");
        String group = ObjectTree.textOrEmpty(spec, "group");
        ObjectNode names = ObjectTree.object(spec, "names");
        String plural = ObjectTree.textOrEmpty(names, "plural");
        String name = ObjectMetaView.of(crd).name();
        if (!name.equals(plural + "." + group)) {
            errs.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }
        if (group.isEmpty()) {
            errs.add(FieldError.required(SPEC.child("group").toString()));
        } else {
            FieldChecks.dnsSubdomain(errs, group, SPEC.child("group"));
            if (!group.contains(".")) {
                errs.add(FieldError.invalid(SPEC.child("group").toString(), group, "should be a domain with at least one dot"));
            }
        }
        FieldChecks.oneOf(errs, spec, "scope", SPEC.child("scope"), List.of("Cluster", "Namespaced"), true);
        names(errs, names, SPEC.child("names"));
        versions(errs, ObjectTree.objects(spec, "versions"), SPEC.child("versions"));
    }

    private static void names(List<FieldError> errs, ObjectNode names, FieldPath path) {
        for (String field : List.of("plural", "singular")) {
            String v = ObjectTree.textOrEmpty(names, field);
            if (v.isEmpty()) {
                if (field.equals("plural")) {
                    errs.add(FieldError.required(path.child(field).toString()));
                }
            } else {
                FieldChecks.dnsLabel(errs, v, path.child(field));
            }
        }
        String kind = ObjectTree.textOrEmpty(names, "kind");
        String listKind = ObjectTree.textOrEmpty(names, "listKind");
        if (kind.isEmpty()) {
            errs.add(FieldError.required(path.child("kind").toString()));
        } else {
            FieldChecks.invalidEach(errs, path.child("kind"), kind,
                    IdentifierSyntax.dns1035Label(kind.toLowerCase(Locale.ROOT)).isEmpty() ? List.of()
                            : List.of("may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?"));
        }
        if (listKind.isEmpty()) {
            errs.add(FieldError.required(path.child("listKind").toString()));
        } else if (listKind.equals(kind)) {
            errs.add(FieldError.invalid(path.child("listKind").toString(), listKind, "kind and listKind may not be the same"));
        }
        List<String> shortNames = ObjectTree.strings(names, "shortNames");
        for (int i = 0; i < shortNames.size(); i++) {
            FieldChecks.dnsLabel(errs, shortNames.get(i), path.child("shortNames").index(i));
        }
    }

    private static void versions(List<FieldError> errs, List<ObjectNode> versions, FieldPath path) {
        if (versions.isEmpty()) {
            errs.add(FieldError.invalid(path.toString(), GoLiteral.strings(List.of()), "must have exactly one version marked as storage version"));
            return;
        }
        Set<String> seen = new HashSet<>();
        int storage = 0;
        boolean served = false;
        for (int i = 0; i < versions.size(); i++) {
            ObjectNode v = versions.get(i);
            FieldPath p = path.index(i);
            String name = ObjectTree.textOrEmpty(v, "name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p.child("name").toString()));
            } else {
                FieldChecks.invalidEach(errs, p.child("name"), name, IdentifierSyntax.dns1035Label(name));
                if (!seen.add(name)) {
                    errs.add(FieldError.duplicate(p.child("name").toString(), name));
                }
            }
            if (Boolean.TRUE.equals(ObjectTree.bool(v, "storage"))) {
                storage++;
            }
            served |= Boolean.TRUE.equals(ObjectTree.bool(v, "served"));
            ObjectNode schema = ObjectTree.object(v, "schema", "openAPIV3Schema");
            FieldPath schemaPath = p.child("schema", "openAPIV3Schema");
            if (schema == null) {
                errs.add(FieldError.required(schemaPath.toString(), "schemas are required"));
            } else if (ObjectTree.textOrEmpty(schema, "type").isEmpty()) {
                errs.add(FieldError.required(schemaPath.child("type").toString(), "must not be empty at the root"));
            } else if (!"object".equals(ObjectTree.text(schema, "type"))) {
                errs.add(FieldError.invalid(schemaPath.child("type").toString(), ObjectTree.text(schema, "type"),
                        "must be object at the root"));
            }
        }
        if (storage != 1) {
            errs.add(FieldError.invalid(path.toString(), GoLiteral.strings(List.copyOf(seen)),
                    "must have exactly one version marked as storage version"));
        }
        if (!served) {
            errs.add(FieldError.invalid(path.toString(), GoLiteral.strings(List.copyOf(seen)),
                    "must have at least one version marked as served"));
        }
    }
}
