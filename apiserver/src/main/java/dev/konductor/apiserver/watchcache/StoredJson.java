package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.PartialObjectMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An object's JSON as the API serves it, made from the bytes the store holds instead of
 * serializing the object again. The store holds an object without {@code metadata.resourceVersion}
 * (that is the key's revision); the served JSON is the same bytes with the revision spliced in as
 * the last field of {@code metadata}, which is where a decoded object carries it too, so it equals
 * what serializing the decoded object would give.
 */
final class StoredJson {

    private StoredJson() {
    }

    /** The stored object decoded, and its served JSON when the splice applies (else null). */
    record Decoded(ObjectNode object, Served served) {
    }

    /**
     * An object's JSON as served, and where its metadata object is in it: from {@code
     * metadataStart} (its opening brace) to {@code metadataEnd} (just past its closing one).
     */
    record Served(byte[] json, int metadataStart, int metadataEnd) {
    }

    /**
     * Decodes a stored value in one pass and sets its resourceVersion.
     *
     * @throws IOException if the value is not a JSON object
     */
    static Decoded decode(ObjectMapper mapper, byte[] stored, long modRevision) throws IOException {
        try (JsonParser parser = mapper.createParser(stored)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            ObjectNode object = mapper.getNodeFactory().objectNode();
            int metadataStart = -1;
            int metadataEnd = -1;
            int metadataCount = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                boolean metadata = name.equals("metadata");
                if (metadata) {
                    metadataStart = (int) parser.currentTokenLocation().getByteOffset();
                }
                JsonNode value = mapper.readTree(parser);
                if (metadata) {
                    metadataCount++;
                    metadataEnd = value.isObject() ? (int) parser.currentTokenLocation().getByteOffset() : -1;
                }
                object.set(name, value);
            }
            String resourceVersion = Long.toString(modRevision);
            if (object.has("metadata") && !object.get("metadata").isObject()) {
                throw new IOException("metadata is not an object");
            }
            ObjectNode metadata = object.withObject("metadata");
            boolean splice = metadataCount == 1 && metadataEnd > 0 && !metadata.has("resourceVersion");
            metadata.put("resourceVersion", resourceVersion);
            return new Decoded(object, splice ? splice(stored, metadataStart, metadataEnd, resourceVersion) : null);
        }
    }

    private static final byte[] PARTIAL_PREFIX = ("{\"kind\":\"" + PartialObjectMetadata.KIND + "\",\"apiVersion\":\""
            + PartialObjectMetadata.API_VERSION + "\",\"metadata\":").getBytes(StandardCharsets.US_ASCII);

    /**
     * The object of {@code json} as PartialObjectMetadata: its metadata object's bytes (from
     * {@code metadataStart} to just before {@code metadataEnd}), cut out as they are, after the
     * kind and apiVersion, which is what serializing {@link PartialObjectMetadata#of} of the
     * decoded object gives.
     */
    static byte[] partialMetadata(byte[] json, int metadataStart, int metadataEnd) {
        int length = metadataEnd - metadataStart;
        byte[] out = new byte[PARTIAL_PREFIX.length + length + 1];
        System.arraycopy(PARTIAL_PREFIX, 0, out, 0, PARTIAL_PREFIX.length);
        System.arraycopy(json, metadataStart, out, PARTIAL_PREFIX.length, length);
        out[out.length - 1] = '}';
        return out;
    }

    /**
     * {@code stored} with {@code "resourceVersion":"<rv>"} added before the '}' at {@code
     * metadataEnd}, the metadata object opening at {@code metadataStart}.
     */
    static Served splice(byte[] stored, int metadataStart, int metadataEnd, String resourceVersion) {
        int before = metadataEnd - 1;
        while (Character.isWhitespace(stored[before])) {
            before--;
        }
        boolean empty = stored[before] == '{';
        byte[] field = ((empty ? "" : ",") + "\"resourceVersion\":\"" + resourceVersion + "\"")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[stored.length + field.length];
        System.arraycopy(stored, 0, out, 0, metadataEnd);
        System.arraycopy(field, 0, out, metadataEnd, field.length);
        System.arraycopy(stored, metadataEnd, out, metadataEnd + field.length, stored.length - metadataEnd);
        return new Served(out, metadataStart, metadataEnd + field.length + 1);
    }
}
