package dev.konductor.apiserver.openapi;

/** The two OpenAPI versions the API server publishes, and where each keeps its schemas. */
enum Dialect {
    /** Swagger 2.0, at {@code /openapi/v2}: kubectl 1.27/1.28 and anything using the protobuf form. */
    V2("#/definitions/"),
    /** OpenAPI 3.0, at {@code /openapi/v3/<group-version>}: kubectl 1.29 and later. */
    V3("#/components/schemas/");

    private final String refPrefix;

    Dialect(String refPrefix) {
        this.refPrefix = refPrefix;
    }

    String refPrefix() {
        return refPrefix;
    }
}
