package dev.konductor.api.schema;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The documentation of the built-in types and their fields, as {@code kubectl explain} prints
 * it, by upstream definition name ({@code io.k8s.api.apps.v1.DeploymentSpec}) and property.
 *
 * <p>The fabric8 model carries no documentation, so the build extracts it from the Kubernetes
 * Java client's generated model (a build-time dependency only) into {@link #RESOURCE}; a build
 * without it serves schemas without descriptions. The table is read on first use, which is the
 * first OpenAPI request, not the server's start.
 */
public final class Descriptions {

    /** The generated table: {@code {definition: {"": type description, property: description}}}, gzipped JSON. */
    public static final String RESOURCE = "/dev/konductor/api/schema/descriptions.json.gz";
    /** The key of a type's own description among its properties' ones. */
    public static final String TYPE = "";

    private static final Descriptions NONE = new Descriptions(Map.of());

    private final Map<String, Map<String, String>> byDefinition;

    private Descriptions(Map<String, Map<String, String>> byDefinition) {
        this.byDefinition = byDefinition;
    }

    /** The descriptions this build carries (none if it was built without them). */
    public static Descriptions builtIn() {
        return BuiltIn.INSTANCE;
    }

    public static Descriptions none() {
        return NONE;
    }

    public Optional<String> ofType(String definition) {
        return ofProperty(definition, TYPE);
    }

    public Optional<String> ofProperty(String definition, String property) {
        if (definition == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byDefinition.getOrDefault(definition, Map.of()).get(property));
    }

    static Descriptions read(InputStream gzippedJson) throws IOException {
        try (InputStream in = new GZIPInputStream(gzippedJson)) {
            Map<String, Map<String, String>> table = new ObjectMapper().readValue(in,
                    new TypeReference<Map<String, Map<String, String>>>() { });
            table.replaceAll((definition, properties) -> Map.copyOf(properties));
            return new Descriptions(Map.copyOf(table));
        }
    }

    /** Loaded once, on first use, by the class loader's lazy initialisation of this holder. */
    private static final class BuiltIn {
        static final Descriptions INSTANCE = load();

        private static Descriptions load() {
            try (InputStream in = Descriptions.class.getResourceAsStream(RESOURCE)) {
                return in == null ? NONE : read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
            }
        }
    }
}
