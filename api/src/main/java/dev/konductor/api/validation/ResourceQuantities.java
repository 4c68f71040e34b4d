package dev.konductor.api.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Parsing of resource quantities ({@code 500m}, {@code 1Gi}, {@code 1e3}) into exact decimals,
 * for comparing requests with limits. Syntax follows upstream's {@code resource.Quantity}.
 */
final class ResourceQuantities {

    private static final Pattern SYNTAX =
            Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([eE][+-]?[0-9]+)|[numkMGTPE]|Ki|Mi|Gi|Ti|Pi|Ei)?");

    static final String SYNTAX_MESSAGE =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private ResourceQuantities() {
    }

    /**
     * Parsed texts, up to {@value #CACHED} of them: manifests repeat a few ({@code 100m},
     * {@code 128Mi}), and parsing one into a BigDecimal was a few percent of a pod create's CPU.
     */
    private static final int CACHED = 4096;
    private static final Map<String, Optional<BigDecimal>> PARSED = new ConcurrentHashMap<>();

    /** The exact value, or null when the text is not a quantity. */
    static BigDecimal parse(String text) {
        if (text == null) {
            return null;
        }
        Optional<BigDecimal> cached = PARSED.get(text);
        if (cached == null) {
            cached = Optional.ofNullable(parseUncached(text));
            if (PARSED.size() < CACHED) {
                PARSED.put(text, cached);
            }
        }
        return cached.orElse(null);
    }

    private static BigDecimal parseUncached(String text) {
        if (!SYNTAX.matcher(text).matches()) {
            return null;
        }
        try {
            return Quantity.getAmountInBytes(new Quantity(text));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
