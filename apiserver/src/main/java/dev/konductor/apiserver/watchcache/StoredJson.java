package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    record Decoded(ObjectNode object, byte[] json) {
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
            int metadataEnd = -1;
            int metadataCount = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                JsonNode value = mapper.readTree(parser);
                if (name.equals("metadata")) {
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
            return new Decoded(object, splice ? splice(stored, metadataEnd, resourceVersion) : null);
        }
    }

    /**
     * The served JSON of an object just written as {@code stored}, or null when it has no
     * metadata object to splice the revision into.
     */
    static byte[] served(ObjectMapper mapper, byte[] stored, long modRevision) {
        try (JsonParser parser = mapper.createParser(stored)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!name.equals("metadata")) {
                    parser.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_OBJECT) {
                    return null;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    if (parser.currentName().equals("resourceVersion")) {
                        return null;
                    }
                    parser.nextToken();
                    parser.skipChildren();
                }
                return splice(stored, (int) parser.currentTokenLocation().getByteOffset(), Long.toString(modRevision));
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code stored} with {@code "resourceVersion":"<rv>"} added before the '}' at {@code metadataEnd}. */
    private static byte[] splice(byte[] stored, int metadataEnd, String resourceVersion) {
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
        return out;
    }
}
