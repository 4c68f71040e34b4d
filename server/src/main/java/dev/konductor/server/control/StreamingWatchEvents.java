package dev.konductor.server.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.JsonParserSequence;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * fabric8's serialization, with watch events read in one pass. fabric8 reads a watch event's
 * {@code object} through its polymorphic deserializer, which builds a JSON tree to learn the
 * object's kind and then converts the tree into the model class: the in-process informers spent
 * more than half of their CPU doing that for every pod write. An API server writes
 * {@code apiVersion} and {@code kind} first, so once those two fields are read the class is known
 * and the rest of the object streams straight into it (kinds without a class into a
 * {@link GenericKubernetesResource}, as fabric8 does). Anything else (other field orders, input
 * fabric8 would reject) takes fabric8's own path.
 *
 * <p>Every in-process client shares this serialization, and several of them watch the same kind
 * with no selector (the controller manager's and the scheduler's informers each watch every pod
 * and node; a node agent watches its own pods), so the API server sends each of them the same
 * text for the same event. The last events decoded are kept by their text ({@link RecentEvents}):
 * a watch that receives an event another watch has just decoded gets the same object, decoded
 * once for the process and held once in the informers' caches, which never modify what they
 * hold.
 */
final class StreamingWatchEvents extends KubernetesSerialization {

    /** Responses larger than this (lists) are parsed as they come: single objects are far smaller. */
    private static final int MAX_CUT_RESPONSE = 1 << 20;

    private final ObjectMapper mapper;
    private final boolean withoutManagedFields;
    private final RecentEvents recent = new RecentEvents();

    /**
     * @param withoutManagedFields whether {@code mapper} ignores {@code managedFields}: the event
     *                             texts and the objects of responses are then parsed without them
     *                             ({@link ManagedFieldsCut})
     */
    StreamingWatchEvents(ObjectMapper mapper, boolean withoutManagedFields) {
        super(mapper, true);
        this.mapper = mapper;
        this.withoutManagedFields = withoutManagedFields;
    }

    @Override
    public <T> T unmarshal(String json, Class<T> type) {
        if (type == WatchEvent.class) {
            WatchEvent event = recent.find(json);
            if (event == null) {
                event = readWatchEvent(withoutManagedFields ? ManagedFieldsCut.of(json) : json);
                if (event == null) {
                    return super.unmarshal(json, type);
                }
                recent.remember(json, event);
            }
            // a wrapper of its own for each watch: only the object is shared
            return type.cast(new WatchEvent(event.getObject(), event.getType()));
        }
        return super.unmarshal(json, type);
    }

    /**
     * fabric8 reads every response body through here (as a byte array stream): the object a
     * write answers with (a status update's pod, a renewed Lease) is parsed without its managed
     * fields, as watch events are.
     */
    @Override
    public <T> T unmarshal(InputStream in, TypeReference<T> type) {
        if (withoutManagedFields && in instanceof ByteArrayInputStream buffered) {
            return super.unmarshal(new ByteArrayInputStream(cutManagedFields(buffered.readAllBytes())), type);
        }
        return super.unmarshal(in, type);
    }

    private static byte[] cutManagedFields(byte[] body) {
        if (body.length > MAX_CUT_RESPONSE) {
            return body;
        }
        String json = new String(body, StandardCharsets.UTF_8);
        String cut = ManagedFieldsCut.ofObject(json);
        return cut == json ? body : cut.getBytes(StandardCharsets.UTF_8);
    }

    /** The event, or null when it should take fabric8's path. */
    WatchEvent readWatchEvent(String json) {
        try (JsonParser parser = mapper.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String type = null;
            Object object = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("type") && value == JsonToken.VALUE_STRING) {
                    type = parser.getText();
                } else if (field.equals("object") && value == JsonToken.START_OBJECT) {
                    object = readResource(parser);
                    if (object == null) {
                        return null;
                    }
                } else {
                    return null;
                }
            }
            return type == null || object == null ? null : new WatchEvent(object, type);
        } catch (IOException | RuntimeException e) {
            return null; // fabric8's path reports it
        }
    }

    /**
     * Reads the object the parser is at the start of, when its first two fields are apiVersion
     * and kind; null otherwise (the parser is then left mid-object).
     */
    private KubernetesResource readResource(JsonParser parser) throws IOException {
        TokenBuffer head = new TokenBuffer(parser);
        head.writeStartObject();
        String apiVersion = null;
        String kind = null;
        for (int i = 0; i < 2; i++) {
            if (parser.nextToken() != JsonToken.FIELD_NAME) {
                return null;
            }
            String field = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            switch (field) {
                case "apiVersion" -> apiVersion = parser.getText();
                case "kind" -> kind = parser.getText();
                default -> {
                    return null;
                }
            }
            head.writeStringField(field, parser.getText());
        }
        if (apiVersion == null || kind == null) {
            return null;
        }
        Class<? extends KubernetesResource> target = getRegisteredKubernetesResource(apiVersion, kind);
        if (target == null) {
            // as fabric8 reads kinds it has no class for: custom resources, and the
            // PartialObjectMetadata of the garbage collector's metadata-only watches
            target = GenericKubernetesResource.class;
        }
        parser.nextToken(); // the third field's name, or the object's end
        // the two fields already read, then the rest of the object from where the parser stands
        JsonParser whole = JsonParserSequence.createFlattened(true, head.asParser(mapper), parser);
        return mapper.readValue(whole, target);
    }

    /**
     * The last watch events decoded, by their text. Lossy and lock-free like {@link SharedStrings}'
     * table: an event's text hashes to one slot, which keeps the last event that landed there.
     * Watches of the same kind receive an event within moments of each other, so the second finds
     * the first's object nearly always; the table only holds the few hundred latest texts.
     */
    static final class RecentEvents {

        static final int SLOTS = 256;

        /** Immutable, so a slot read while another thread replaces it holds a whole entry. */
        private record Entry(String json, WatchEvent event) {
        }

        private final Entry[] slots = new Entry[SLOTS];

        /** The event decoded from exactly this text, if it is still in its slot. */
        WatchEvent find(String json) {
            Entry entry = slots[slot(json)];
            return entry != null && entry.json().equals(json) ? entry.event() : null;
        }

        void remember(String json, WatchEvent event) {
            slots[slot(json)] = new Entry(json, event);
        }

        private static int slot(String json) {
            int hash = json.hashCode();
            return (hash ^ (hash >>> 16)) & (SLOTS - 1);
        }
    }
}
