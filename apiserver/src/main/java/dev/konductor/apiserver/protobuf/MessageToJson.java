package dev.konductor.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.konductor.api.status.StatusException;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Walks a decoded Kubernetes protobuf message and produces the JSON the same object has on the wire.
 *
 * <p>Kubernetes' {@code generated.proto} files name every field after its JSON key, so the walk is
 * generic; only the apimachinery types whose JSON form is not their message shape need special
 * cases: {@code Time}/{@code MicroTime} are timestamps, {@code Quantity} and {@code IntOrString}
 * are scalars, {@code RawExtension}/{@code FieldsV1} carry embedded JSON, and the
 * {@code ExtraValue} wrappers stand for plain string lists.
 *
 * <p>Presence follows the proto2 rules the Go encoder relies on: a number or boolean is written
 * only when it was on the wire (so an explicit {@code replicas: 0} survives), a message that was
 * sent empty is {@code {}} (kubectl sends {@code resources {}}), and an empty repeated field is
 * indistinguishable from an absent one, so it is omitted, exactly as {@code omitempty} would have
 * done.
 *
 * <p>One deliberate exception: an empty singular string is omitted. Go's protobuf encoder writes
 * every non-pointer string, so a kubectl body carries {@code namespace: ""},
 * {@code imagePullPolicy: ""} and dozens more; in Go those equal "unset", but in a JSON tree a
 * present {@code ""} would defeat "default when absent" and "namespace must match the URL" checks.
 * The cost is that a pointer string set to {@code ""} on purpose (a PVC's
 * {@code storageClassName: ""}) reads as unset; no client sends such kinds as protobuf today.
 */
final class MessageToJson {

    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3339_MICRO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

    /**
     * Go structs embedded with {@code json:",inline"}: protobuf gives them a field of their own,
     * JSON spreads their fields into the parent ({@code volumes[].configMap}, not
     * {@code volumes[].volumeSource.configMap}). The descriptors cannot tell, so they are listed;
     * the list is every embedded struct in the GA API groups.
     */
    private static final Set<String> INLINE = Set.of(
            "k8s.io.api.core.v1.Volume.volumeSource",
            "k8s.io.api.core.v1.Probe.handler",
            "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
            "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
            "k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapProjection.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference",
            "k8s.io.api.core.v1.SecretEnvSource.localObjectReference",
            "k8s.io.api.core.v1.SecretKeySelector.localObjectReference",
            "k8s.io.api.core.v1.SecretProjection.localObjectReference",
            "k8s.io.api.networking.v1.IngressRule.ingressRuleValue",
            "k8s.io.api.admissionregistration.v1.NamedRuleWithOperations.ruleWithOperations",
            "k8s.io.api.admissionregistration.v1.RuleWithOperations.rule");

    /**
     * Non-pointer Go booleans and numbers with {@code omitempty}: Go's protobuf encoder writes them
     * even when zero (kubectl's {@code create deployment} body carries {@code stdin: false},
     * {@code hostPID: false}, {@code generation: 0}), and upstream's JSON leaves them out, so a zero
     * here reads as absent. Pointer fields ({@code replicas}, {@code runAsUser}, ...) are not listed:
     * a zero there was set on purpose.
     */
    private static final Set<String> OMIT_ZERO = Set.of(
            "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta.generation",
            "k8s.io.api.core.v1.Container.stdin", "k8s.io.api.core.v1.Container.stdinOnce",
            "k8s.io.api.core.v1.Container.tty",
            "k8s.io.api.core.v1.EphemeralContainerCommon.stdin", "k8s.io.api.core.v1.EphemeralContainerCommon.stdinOnce",
            "k8s.io.api.core.v1.EphemeralContainerCommon.tty",
            "k8s.io.api.core.v1.PodSpec.hostNetwork", "k8s.io.api.core.v1.PodSpec.hostPID",
            "k8s.io.api.core.v1.PodSpec.hostIPC",
            "k8s.io.api.core.v1.VolumeMount.readOnly", "k8s.io.api.core.v1.ContainerPort.hostPort",
            "k8s.io.api.core.v1.ServicePort.nodePort", "k8s.io.api.core.v1.ServiceSpec.publishNotReadyAddresses",
            "k8s.io.api.core.v1.Probe.initialDelaySeconds", "k8s.io.api.core.v1.Probe.timeoutSeconds",
            "k8s.io.api.core.v1.Probe.periodSeconds", "k8s.io.api.core.v1.Probe.successThreshold",
            "k8s.io.api.core.v1.Probe.failureThreshold",
            "k8s.io.api.apps.v1.DeploymentSpec.paused", "k8s.io.api.apps.v1.DeploymentSpec.minReadySeconds",
            "k8s.io.api.apps.v1.ReplicaSetSpec.minReadySeconds", "k8s.io.api.apps.v1.DaemonSetSpec.minReadySeconds",
            "k8s.io.api.apps.v1.StatefulSetSpec.minReadySeconds");

    private final ObjectMapper mapper;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    MessageToJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The JSON object for a message; the top level of a Kubernetes object is always an object. */
    ObjectNode object(Message message) {
        rejectUnknownFields(message);
        ObjectNode out = nodes.objectNode();
        // declaration order, which is the Go struct's order, so the JSON reads as a client wrote it
        for (FieldDescriptor descriptor : message.getDescriptorForType().getFields()) {
            JsonNode json;
            if (descriptor.isRepeated()) {
                List<?> values = (List<?>) message.getField(descriptor);
                json = descriptor.isMapField() ? map(descriptor, values) : array(descriptor, values);
            } else {
                json = message.hasField(descriptor) && !isEmptyString(message.getField(descriptor))
                        && !isOmittedZero(descriptor, message.getField(descriptor))
                        ? value(descriptor, message.getField(descriptor)) : null;
            }
            if (json instanceof ObjectNode embedded && INLINE.contains(descriptor.getFullName())) {
                out.setAll(embedded);
            } else if (json != null) {
                out.set(descriptor.getName(), json);
            }
        }
        return out;
    }

    /**
     * An unknown field means the client knows a newer API than the compiled descriptors do.
     * Dropping it would silently lose part of what the user asked for, so the request fails.
     */
    private static void rejectUnknownFields(Message message) {
        UnknownFieldSet unknown = message.getUnknownFields();
        if (!unknown.asMap().isEmpty()) {
            throw StatusException.badRequest("unable to decode protobuf body: field number "
                    + unknown.asMap().keySet().iterator().next() + " of "
                    + message.getDescriptorForType().getFullName() + " is not known to this server");
        }
    }

    private static boolean isOmittedZero(FieldDescriptor field, Object value) {
        boolean zero = Boolean.FALSE.equals(value) || (value instanceof Number n && n.longValue() == 0);
        return zero && OMIT_ZERO.contains(field.getFullName());
    }

    private static boolean isEmptyString(Object value) {
        return value instanceof String text && text.isEmpty();
    }

    private JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case MESSAGE -> message((Message) value);
            case STRING -> nodes.textNode((String) value);
            case INT -> nodes.numberNode((Integer) value);
            // small int64s as ints, as Jackson parses them, so a decoded tree equals a parsed one
            case LONG -> {
                long number = (Long) value;
                yield number == (int) number ? nodes.numberNode((int) number) : nodes.numberNode(number);
            }
            case BOOLEAN -> nodes.booleanNode((Boolean) value);
            case FLOAT -> nodes.numberNode((Float) value);
            case DOUBLE -> nodes.numberNode((Double) value);
            // []byte is base64 in JSON, as encoding/json writes it (Secret.data, ConfigMap.binaryData)
            case BYTE_STRING -> nodes.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> nodes.textNode(value.toString());
        };
    }

    /** A nested message's JSON, or null when it stands for an unset value (an empty Time). */
    private JsonNode message(Message message) {
        String type = message.getDescriptorForType().getFullName();
        return switch (type) {
            case META + "Time" -> timestamp(message, RFC3339);
            case META + "MicroTime" -> timestamp(message, RFC3339_MICRO);
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> nodes.textNode(stringField(message, "string"));
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> intOrString(message);
            case "k8s.io.apimachinery.pkg.runtime.RawExtension" -> embeddedJson(message, "raw");
            case META + "FieldsV1" -> embeddedJson(message, "Raw");
            default -> type.endsWith(".ExtraValue") ? array(field(message, "items"), list(message, "items"))
                    : object(message);
        };
    }

    /**
     * metav1.Time marshals {@code {}} for the zero time, and Go's JSON encoder writes the zero time
     * as null; kubectl sends {@code creationTimestamp: {}} for "not set", so it becomes no field.
     */
    private JsonNode timestamp(Message time, DateTimeFormatter format) {
        rejectUnknownFields(time);
        if (time.getAllFields().isEmpty()) {
            return null;
        }
        long seconds = (Long) time.getField(field(time, "seconds"));
        int nanos = (Integer) time.getField(field(time, "nanos"));
        return nodes.textNode(format.format(Instant.ofEpochSecond(seconds, nanos)));
    }

    private JsonNode intOrString(Message value) {
        rejectUnknownFields(value);
        long type = (Long) value.getField(field(value, "type"));
        if (type == 1) {
            return nodes.textNode(stringField(value, "strVal"));
        }
        return nodes.numberNode((Integer) value.getField(field(value, "intVal")));
    }

    /** RawExtension and FieldsV1 carry JSON bytes; a nil RawExtension is JSON null in Go. */
    private JsonNode embeddedJson(Message message, String fieldName) {
        rejectUnknownFields(message);
        FieldDescriptor raw = field(message, fieldName);
        if (!message.hasField(raw)) {
            return nodes.nullNode();
        }
        byte[] bytes = ((ByteString) message.getField(raw)).toByteArray();
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            throw StatusException.badRequest("unable to decode protobuf body: "
                    + message.getDescriptorForType().getFullName() + " does not hold JSON: " + e.getMessage());
        }
    }

    private JsonNode array(FieldDescriptor field, List<?> values) {
        if (values.isEmpty()) {
            return null;
        }
        ArrayNode out = nodes.arrayNode(values.size());
        for (Object value : values) {
            JsonNode json = value(field, value);
            // an element can be an unset Time only in theory; keep positions stable with null
            out.add(json == null ? nodes.nullNode() : json);
        }
        return out;
    }

    /** A proto map is a repeated entry message with {@code key} (always a string here) and {@code value}. */
    private JsonNode map(FieldDescriptor field, List<?> entries) {
        if (entries.isEmpty()) {
            return null;
        }
        FieldDescriptor key = field.getMessageType().findFieldByName("key");
        FieldDescriptor val = field.getMessageType().findFieldByName("value");
        ObjectNode out = nodes.objectNode();
        for (Object entry : entries) {
            Message pair = (Message) entry;
            JsonNode json = value(val, pair.getField(val));
            out.set(String.valueOf(pair.getField(key)), json == null ? nodes.nullNode() : json);
        }
        return out;
    }

    private static FieldDescriptor field(Message message, String name) {
        FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
        if (field == null) {
            throw new IllegalStateException(message.getDescriptorForType().getFullName() + " has no field " + name);
        }
        return field;
    }

    private static String stringField(Message message, String name) {
        return (String) message.getField(field(message, name));
    }

    private static List<?> list(Message message, String name) {
        return (List<?>) message.getField(field(message, name));
    }
}
