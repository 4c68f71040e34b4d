package dev.konductor.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Encodes a Swagger 2.0 document as gnostic's {@code openapi_v2.Document} protobuf, the form
 * kubectl asks for with {@code Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf}.
 * Field numbers are those of gnostic-models' {@code openapiv2/OpenAPIv2.proto}. Vendor extensions
 * travel as {@code NamedAny} whose {@code Any.yaml} holds the value as JSON text (valid YAML), which
 * is how kubectl reads {@code x-kubernetes-group-version-kind} and the patch metadata back.
 *
 * <p>Only what the API server writes is encoded: info, paths with their operations, parameters and
 * responses, and definitions with the schema keywords {@link SchemaJson} and CRDs use.
 */
final class GnosticEncoder {

    private GnosticEncoder() {
    }

    static byte[] document(JsonNode doc) {
        return message(out -> {
            string(out, 1, doc.path("swagger"));
            nested(out, 2, info(doc.path("info")));
            nested(out, 8, paths(doc.path("paths")));
            nested(out, 9, namedSchemas(doc.path("definitions")));
        });
    }

    private static byte[] info(JsonNode info) {
        return message(out -> {
            string(out, 1, info.path("title"));
            string(out, 2, info.path("version"));
        });
    }

    private static byte[] paths(JsonNode paths) {
        return message(out -> {
            for (Map.Entry<String, JsonNode> path : paths.properties()) {
                // Paths.path = 2, a NamedPathItem{name = 1, value = 2}
                nested(out, 2, named(path.getKey(), pathItem(path.getValue())));
            }
        });
    }

    private static byte[] pathItem(JsonNode item) {
        return message(out -> {
            String[] methods = {"get", "put", "post", "delete", "options", "head", "patch"};
            for (int i = 0; i < methods.length; i++) {
                if (item.has(methods[i])) {
                    nested(out, 2 + i, operation(item.get(methods[i])));
                }
            }
            for (JsonNode parameter : item.path("parameters")) {
                nested(out, 9, parametersItem(parameter));
            }
        });
    }

    private static byte[] operation(JsonNode op) {
        return message(out -> {
            strings(out, 1, op.path("tags"));
            string(out, 3, op.path("description"));
            string(out, 5, op.path("operationId"));
            strings(out, 6, op.path("produces"));
            strings(out, 7, op.path("consumes"));
            for (JsonNode parameter : op.path("parameters")) {
                nested(out, 8, parametersItem(parameter));
            }
            nested(out, 9, responses(op.path("responses")));
            strings(out, 10, op.path("schemes"));
            vendorExtensions(out, 13, op);
        });
    }

    /** ParametersItem{parameter = 1}, Parameter{body_parameter = 1 | non_body_parameter = 2}. */
    private static byte[] parametersItem(JsonNode p) {
        String in = p.path("in").asText();
        byte[] parameter = in.equals("body")
                ? message(out -> nested(out, 1, message(body -> {
                    string(body, 1, p.path("description"));
                    string(body, 2, p.path("name"));
                    string(body, 3, p.path("in"));
                    bool(body, 4, p.path("required"));
                    nested(body, 5, schema(p.path("schema")));
                })))
                : message(out -> nested(out, 2, nonBodyParameter(p, in)));
        return message(out -> nested(out, 1, parameter));
    }

    /**
     * NonBodyParameter{header = 1, form_data = 2, query = 3, path = 4}. The sub-schemas share the
     * first four fields; type, format and uniqueItems sit one field later in query and form data,
     * which also have allow_empty_value at 5.
     */
    private static byte[] nonBodyParameter(JsonNode p, String in) {
        int kind = switch (in) {
            case "header" -> 1;
            case "formData" -> 2;
            case "path" -> 4;
            default -> 3;
        };
        int shift = kind == 2 || kind == 3 ? 1 : 0;
        return message(out -> nested(out, kind, message(sub -> {
            bool(sub, 1, p.path("required"));
            string(sub, 2, p.path("in"));
            string(sub, 3, p.path("description"));
            string(sub, 4, p.path("name"));
            string(sub, 5 + shift, p.path("type"));
            string(sub, 6 + shift, p.path("format"));
            bool(sub, 19 + shift, p.path("uniqueItems"));
        })));
    }

    /** Responses{response_code = 1}: NamedResponseValue → ResponseValue{response = 1} → Response. */
    private static byte[] responses(JsonNode responses) {
        return message(out -> {
            for (Map.Entry<String, JsonNode> entry : responses.properties()) {
                JsonNode r = entry.getValue();
                byte[] response = message(resp -> {
                    string(resp, 1, r.path("description"));
                    if (r.has("schema")) {
                        nested(resp, 2, message(item -> nested(item, 1, schema(r.get("schema")))));
                    }
                });
                nested(out, 1, named(entry.getKey(), message(value -> nested(value, 1, response))));
            }
        });
    }

    /** A message of NamedSchema{name = 1, value = 2} entries at field 1 (Definitions, Properties). */
    private static byte[] namedSchemas(JsonNode schemas) {
        return message(out -> {
            for (Map.Entry<String, JsonNode> entry : schemas.properties()) {
                nested(out, 1, named(entry.getKey(), schema(entry.getValue())));
            }
        });
    }

    static byte[] schema(JsonNode s) {
        return message(out -> {
            string(out, 1, s.path("$ref"));
            string(out, 2, s.path("format"));
            string(out, 3, s.path("title"));
            string(out, 4, s.path("description"));
            if (s.has("default")) {
                nested(out, 5, any(s.get("default")));
            }
            number(out, 6, s.path("multipleOf"));
            number(out, 7, s.path("maximum"));
            bool(out, 8, s.path("exclusiveMaximum"));
            number(out, 9, s.path("minimum"));
            bool(out, 10, s.path("exclusiveMinimum"));
            int64(out, 11, s.path("maxLength"));
            int64(out, 12, s.path("minLength"));
            string(out, 13, s.path("pattern"));
            int64(out, 14, s.path("maxItems"));
            int64(out, 15, s.path("minItems"));
            bool(out, 16, s.path("uniqueItems"));
            int64(out, 17, s.path("maxProperties"));
            int64(out, 18, s.path("minProperties"));
            strings(out, 19, s.path("required"));
            for (JsonNode value : s.path("enum")) {
                nested(out, 20, any(value));
            }
            additionalProperties(out, s.path("additionalProperties"));
            if (s.has("type")) {
                // TypeItem{value = 1}: a list of type names, usually one
                nested(out, 22, message(type -> strings(type, 1, s.get("type"))));
            }
            if (s.has("items")) {
                // ItemsItem{schema = 1}: repeated, one entry for a homogeneous array
                nested(out, 23, message(items -> nested(items, 1, schema(s.get("items")))));
            }
            for (JsonNode member : s.path("allOf")) {
                nested(out, 24, schema(member));
            }
            if (s.has("properties")) {
                nested(out, 25, namedSchemas(s.get("properties")));
            }
            vendorExtensions(out, 31, s);
        });
    }

    /** AdditionalPropertiesItem{schema = 1 | boolean = 2}. */
    private static void additionalProperties(CodedOutputStream out, JsonNode additional) throws IOException {
        if (additional.isObject()) {
            nested(out, 21, message(item -> nested(item, 1, schema(additional))));
        } else if (additional.isBoolean()) {
            boolean allowed = additional.booleanValue();
            nested(out, 21, message(item -> item.writeBool(2, allowed)));
        }
    }

    private static void vendorExtensions(CodedOutputStream out, int field, JsonNode node) throws IOException {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (entry.getKey().startsWith("x-")) {
                nested(out, field, named(entry.getKey(), any(entry.getValue())));
            }
        }
    }

    /** Any{yaml = 2}: the value as JSON, which YAML parsers read as is. */
    private static byte[] any(JsonNode value) {
        return message(out -> out.writeString(2, value.toString()));
    }

    /** The common Named* shape: name = 1, value = 2. */
    private static byte[] named(String name, byte[] value) {
        return message(out -> {
            out.writeString(1, name);
            out.writeByteArray(2, value);
        });
    }

    @FunctionalInterface
    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void nested(CodedOutputStream out, int field, byte[] message) throws IOException {
        out.writeByteArray(field, message);
    }

    /** proto3 leaves default values out: empty strings, false, zero. */
    private static void string(CodedOutputStream out, int field, JsonNode value) throws IOException {
        if (value.isTextual() && !value.textValue().isEmpty()) {
            out.writeString(field, value.textValue());
        }
    }

    private static void strings(CodedOutputStream out, int field, JsonNode values) throws IOException {
        if (values.isTextual()) {
            out.writeString(field, values.textValue());
        }
        for (JsonNode value : values) {
            out.writeString(field, value.asText());
        }
    }

    private static void bool(CodedOutputStream out, int field, JsonNode value) throws IOException {
        if (value.asBoolean(false)) {
            out.writeBool(field, true);
        }
    }

    private static void number(CodedOutputStream out, int field, JsonNode value) throws IOException {
        if (value.isNumber()) {
            out.writeDouble(field, value.doubleValue());
        }
    }

    private static void int64(CodedOutputStream out, int field, JsonNode value) throws IOException {
        if (value.canConvertToLong() && value.isNumber() && value.longValue() != 0) {
            out.writeInt64(field, value.longValue());
        }
    }
}
