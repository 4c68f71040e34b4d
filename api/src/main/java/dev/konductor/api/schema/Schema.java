package dev.konductor.api.schema;

import java.util.List;
import java.util.Map;

/**
 * The structural schema of a kind: what fields exist, their types, and the patch metadata
 * (merge keys and strategies) that strategic merge patch and server-side apply need. Built-in
 * kinds get theirs from the fabric8 model classes plus upstream's merge-key annotations;
 * custom resources from their CRD's openAPIV3Schema. The graph may be cyclic (an
 * {@link ObjectType}'s property map is filled after the type is created), so walkers must not
 * recurse without a JSON value to walk alongside.
 */
public sealed interface Schema {

    /** Description shown by {@code kubectl explain}; may be empty. */
    String description();

    /**
     * An object with known properties.
     *
     * @param name       the OpenAPI definition name ({@code io.k8s.api.core.v1.PodSpec})
     * @param properties property name to property, in declaration order (mutable while building)
     * @param required   names of required properties
     * @param preserveUnknownFields whether unknown properties are kept (x-kubernetes-preserve-unknown-fields)
     */
    record ObjectType(String name, String description, Map<String, Property> properties, List<String> required,
                      boolean preserveUnknownFields) implements Schema {
    }

    /** A property of an object. */
    record Property(Schema schema, String description) {
    }

    /**
     * A list.
     *
     * @param patchStrategy  strategic-merge-patch strategy: null (replace), "merge", "retainKeys" or "merge,retainKeys"
     * @param patchMergeKey  the merge key for lists of objects merged by key ({@code name}, {@code containerPort})
     * @param listType       x-kubernetes-list-type: "atomic", "set", "map" or null
     * @param listMapKeys    x-kubernetes-list-map-keys for listType "map"
     */
    record ArrayType(Schema items, String description, String patchStrategy, String patchMergeKey, String listType,
                     List<String> listMapKeys) implements Schema {
    }

    /** A map from string keys to values of one schema. */
    record MapType(Schema values, String description) implements Schema {
    }

    /** string, integer, number or boolean, with an optional OpenAPI format and enum. */
    record Scalar(ScalarKind kind, String format, List<String> enumValues, String description) implements Schema {
    }

    enum ScalarKind { STRING, INTEGER, NUMBER, BOOLEAN }

    /** An int-or-string ({@code targetPort}, {@code maxSurge}). */
    record IntOrString(String description) implements Schema {
    }

    /** A resource quantity ({@code 100m}, {@code 1Gi}), a string or number on the wire. */
    record Quantity(String description) implements Schema {
    }

    /** An RFC 3339 time string. */
    record Time(String description) implements Schema {
    }

    /** Any JSON value, kept as is (RawExtension, JSON fields, preserve-unknown-fields). */
    record AnyValue(String description) implements Schema {
    }
}
