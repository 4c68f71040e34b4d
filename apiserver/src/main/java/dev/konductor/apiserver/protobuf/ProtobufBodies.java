package dev.konductor.apiserver.protobuf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.status.StatusException;
import io.kubernetes.client.proto.Runtime;
import java.util.Arrays;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies into the JSON object the
 * client would have sent as {@code application/json}, so the rest of the API server only ever
 * sees JSON.
 *
 * <p>The envelope is Kubernetes' own: the 4-byte magic {@code k8s\0}, then a
 * {@code runtime.Unknown} whose {@code typeMeta} names the kind and whose {@code raw} holds the
 * object's message. kubectl 1.32 and 1.33 send this for {@code create deployment} and
 * {@code autoscale}; there is no JSON fallback on their side, so a body that cannot be decoded
 * fails with 400 and a message saying why.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ProtobufBodies {

    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private final KindDescriptors descriptors;
    private final MessageToJson toJson;

    private ProtobufBodies(KindDescriptors descriptors, ObjectMapper mapper) {
        this.descriptors = descriptors;
        this.toJson = new MessageToJson(mapper);
    }

    /** A decoder for the GA built-in kinds (and autoscaling/v2). */
    public static ProtobufBodies standard() {
        return Standard.INSTANCE;
    }

    /** Decodes with {@link #standard()}. */
    public static ObjectNode decode(byte[] body) {
        return Standard.INSTANCE.read(body);
    }

    /** Whether bodies of this kind can be decoded. */
    public boolean supports(GroupVersionKind gvk) {
        return descriptors.find(gvk).isPresent();
    }

    /**
     * The object as JSON, with {@code apiVersion} and {@code kind} taken from the envelope and
     * placed first, as a JSON client writes them.
     *
     * @throws StatusException 400 BadRequest when the body is not a Kubernetes protobuf object
     *                         this server knows
     */
    public ObjectNode read(byte[] body) {
        Runtime.Unknown envelope = envelope(body);
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw StatusException.badRequest("unable to decode protobuf body: the envelope does not name "
                    + "apiVersion and kind");
        }
        GroupVersionKind gvk = GroupVersionKind.of(apiVersion, kind);
        Descriptor descriptor = descriptors.find(gvk).orElseThrow(() -> StatusException.badRequest(
                "unable to decode protobuf body: no protobuf schema for " + gvk + "; send it as application/json"));
        DynamicMessage message;
        try {
            message = DynamicMessage.parseFrom(descriptor, envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw StatusException.badRequest("unable to decode protobuf body as " + gvk + ": " + e.getMessage());
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        out.setAll(toJson.object(message));
        return out;
    }

    private static Runtime.Unknown envelope(byte[] body) {
        if (body == null || body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw StatusException.badRequest("unable to decode protobuf body: it does not start with the "
                    + "Kubernetes protobuf prefix k8s\\0");
        }
        Runtime.Unknown envelope;
        try {
            envelope = Runtime.Unknown.parseFrom(
                    ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
        } catch (InvalidProtocolBufferException e) {
            throw StatusException.badRequest("unable to decode protobuf body: malformed envelope: " + e.getMessage());
        }
        // gzip and friends are never used by client-go for request bodies; refuse rather than guess
        if (!envelope.getContentEncoding().isEmpty()) {
            throw StatusException.badRequest("unable to decode protobuf body: unsupported content encoding "
                    + envelope.getContentEncoding());
        }
        if (!envelope.getContentType().isEmpty() && !envelope.getContentType().equals(MEDIA_TYPE)) {
            throw StatusException.badRequest("unable to decode protobuf body: unsupported content type "
                    + envelope.getContentType());
        }
        return envelope;
    }

    /** Built once on first use: scanning the descriptors takes a few milliseconds. */
    private static final class Standard {
        static final ProtobufBodies INSTANCE = new ProtobufBodies(KindDescriptors.standard(), new ObjectMapper());
    }
}
