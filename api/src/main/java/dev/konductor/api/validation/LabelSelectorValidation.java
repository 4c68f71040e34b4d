package dev.konductor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.meta.FieldPath;
import dev.konductor.api.meta.IdentifierSyntax;
import dev.konductor.api.meta.ObjectTree;
import dev.konductor.api.status.FieldError;
import java.util.List;

/** Validation of a structured {@code metav1.LabelSelector} (upstream's {@code ValidateLabelSelector}). */
final class LabelSelectorValidation {

    private LabelSelectorValidation() {
    }

    static void validate(List<FieldError> errs, JsonNode selector, FieldPath path) {
        if (selector == null || !selector.isObject()) {
            return;
        }
        FieldChecks.labels(errs, ObjectTree.stringMap(selector, "matchLabels"), path.child("matchLabels"));
        List<? extends JsonNode> expressions = ObjectTree.objects(selector, "matchExpressions");
        for (int i = 0; i < expressions.size(); i++) {
            expression(errs, expressions.get(i), path.child("matchExpressions").index(i));
        }
    }

    private static void expression(List<FieldError> errs, JsonNode expr, FieldPath path) {
        String operator = ObjectTree.textOrEmpty(expr, "operator");
        int values = ObjectTree.strings(expr, "values").size();
        switch (operator) {
            case "In", "NotIn" -> {
                if (values == 0) {
                    errs.add(FieldError.required(path.child("values").toString(),
                            "must be specified when `operator` is 'In' or 'NotIn'"));
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (values > 0) {
                    errs.add(FieldError.forbidden(path.child("values").toString(),
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }
            }
            default -> errs.add(FieldError.invalid(path.child("operator").toString(), operator,
                    "not a valid selector operator"));
        }
        String key = ObjectTree.textOrEmpty(expr, "key");
        FieldChecks.invalidEach(errs, path.child("key"), key, IdentifierSyntax.qualifiedName(key));
        List<String> vals = ObjectTree.strings(expr, "values");
        for (int i = 0; i < vals.size(); i++) {
            FieldChecks.invalidEach(errs, path.child("values").index(i), vals.get(i), IdentifierSyntax.labelValue(vals.get(i)));
        }
    }

    /** Go's {@code %#v} of a LabelSelector, as upstream prints it in "empty selector" and immutability errors. */
    static GoLiteral render(JsonNode selector) {
        StringBuilder s = new StringBuilder("&v1.LabelSelector{MatchLabels:");
        var labels = ObjectTree.stringMap(selector, "matchLabels");
        s.append(labels.isEmpty() && !ObjectTree.has(selector, "matchLabels") ? "map[string]string(nil)"
                : GoLiteral.stringMap(labels).text());
        s.append(", MatchExpressions:");
        List<? extends JsonNode> exprs = ObjectTree.objects(selector, "matchExpressions");
        if (exprs.isEmpty()) {
            s.append("[]v1.LabelSelectorRequirement(nil)");
        } else {
            s.append("[]v1.LabelSelectorRequirement{");
            for (int i = 0; i < exprs.size(); i++) {
                JsonNode e = exprs.get(i);
                if (i > 0) {
                    s.append(", ");
                }
                s.append("v1.LabelSelectorRequirement{Key:\"").append(ObjectTree.textOrEmpty(e, "key"))
                        .append("\", Operator:\"").append(ObjectTree.textOrEmpty(e, "operator"))
                        .append("\", Values:").append(GoLiteral.strings(ObjectTree.strings(e, "values")).text())
                        .append('}');
            }
            s.append('}');
        }
        return new GoLiteral(s.append('}').toString());
    }
}
