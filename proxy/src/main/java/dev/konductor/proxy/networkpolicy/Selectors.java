package dev.konductor.proxy.networkpolicy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.LabelSelector;
import dev.konductor.api.meta.SelectorParseException;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy's structured label selectors as the API module's {@link LabelSelector}, which matches
 * exactly as upstream's {@code LabelSelectorAsSelector}: {@code {}} selects everything.
 */
final class Selectors {

    private static final Logger log = LoggerFactory.getLogger(Selectors.class);

    private Selectors() {
    }

    /**
     * {@code selector} as a matcher; {@code {}} for a missing one (a policy's {@code podSelector}
     * is not optional upstream: absent, it is the empty selector). A selector the API should have
     * refused matches nothing.
     */
    static LabelSelector of(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) {
            return LabelSelector.everything();
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (selector.getMatchLabels() != null) {
            ObjectNode labels = json.putObject("matchLabels");
            selector.getMatchLabels().forEach(labels::put);
        }
        if (selector.getMatchExpressions() != null) {
            ArrayNode expressions = json.putArray("matchExpressions");
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                ObjectNode expression = expressions.addObject()
                        .put("key", requirement.getKey()).put("operator", requirement.getOperator());
                ArrayNode values = expression.putArray("values");
                if (requirement.getValues() != null) {
                    requirement.getValues().forEach(values::add);
                }
            }
        }
        try {
            return LabelSelector.fromStructured(json);
        } catch (SelectorParseException invalid) {
            log.warn("invalid label selector in a NetworkPolicy matches nothing selector={} error={}", json,
                    invalid.getMessage());
            return LabelSelector.nothing();
        }
    }
}
