package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * An object encoded for the store: its JSON without {@code metadata.resourceVersion} (the key's
 * revision is that), and the offsets of the braces that open and close its metadata object, or
 * -1 when it has none. The JSON the written object is served as, the revision spliced in before
 * the closing brace ({@link StoredJson}), is then made without reading the bytes again.
 */
public record StoredValue(byte[] bytes, int metadataStart, int metadataEnd) {

    /** {@code obj} encoded as the store keeps it; {@code obj} itself is not changed. */
    public static StoredValue encode(ObjectMapper mapper, ObjectNode obj) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        int metadataStart = -1;
        int metadataEnd = -1;
        SerializerProvider provider = mapper.getSerializerProviderInstance();
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> field : obj.properties()) {
                g.writeFieldName(field.getKey());
                if (field.getKey().equals("metadata") && field.getValue() instanceof ObjectNode metadata) {
                    g.writeStartObject();
                    g.flush();
                    metadataStart = out.size() - 1; // the brace just written
                    for (Map.Entry<String, JsonNode> m : metadata.properties()) {
                        if (!m.getKey().equals("resourceVersion")) {
                            g.writeFieldName(m.getKey());
                            m.getValue().serialize(g, provider);
                        }
                    }
                    g.flush();
                    metadataEnd = out.size();
                    g.writeEndObject();
                } else {
                    field.getValue().serialize(g, provider);
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode object", e);
        }
        return new StoredValue(out.toByteArray(), metadataStart, metadataEnd);
    }
}
