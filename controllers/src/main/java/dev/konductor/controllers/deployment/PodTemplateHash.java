package dev.konductor.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code pod-template-hash} of a Deployment's template, which names its ReplicaSets
 * ({@code <deployment>-<hash>}) and labels their pods, and template equality ignoring that label.
 *
 * <p>As upstream: an FNV-32a hash over the template, then over the collision count (when set)
 * as 8 little-endian bytes, printed in decimal and encoded character by character into the
 * alphabet {@code bcdfghjklmnpqrstvwxz2456789}. Upstream hashes Go's debug printing of its own
 * structs, which cannot be reproduced outside Go; here the template is hashed in a canonical
 * JSON form (keys sorted; nulls, empty lists and empty label/annotation maps left out), so the
 * same template always gives the same name here, but not the same string as upstream.
 *
 * <p>Equality follows upstream's semantic equality of typed structs: an empty list is no list,
 * and a Go field that is not a pointer is the same whether it holds its zero value or is absent.
 * That matters for {@code kubectl rollout undo}: kubectl re-encodes the old template through Go
 * structs, dropping {@code stdin: false} or {@code generation: 0} that a stored template may hold.
 */
final class PodTemplateHash {

    static final String LABEL = "pod-template-hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /**
     * Non-pointer scalars of a pod template in Go, whose zero value equals absence there. (Pointer
     * fields, such as automountServiceAccountToken, are not listed: false differs from unset.)
     */
    private static final Set<String> ZERO_IS_ABSENT = Set.of("generation", "stdin", "stdinOnce", "tty",
            "hostNetwork", "hostPID", "hostIPC", "readOnly", "hostPort", "initialDelaySeconds");

    private PodTemplateHash() {
    }

    static String of(PodTemplateSpec template, Integer collisionCount) {
        int hash = fnv32a(FNV_OFFSET, canonical(template).getBytes(StandardCharsets.UTF_8));
        if (collisionCount != null) {
            int count = collisionCount;
            hash = fnv32a(hash, new byte[] {(byte) count, (byte) (count >>> 8), (byte) (count >>> 16),
                    (byte) (count >>> 24), 0, 0, 0, 0});
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    /** FNV-1a, 32 bits: continues {@code hash} over {@code bytes} (start from the offset basis). */
    static int fnv32a(int hash, byte[] bytes) {
        for (byte b : bytes) {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        return hash;
    }

    static int fnv32a(byte[] bytes) {
        return fnv32a(FNV_OFFSET, bytes);
    }

    /** Upstream's rand.SafeEncodeString: each character mapped into an alphabet without vowels. */
    static String safeEncode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.append(ALPHANUMS.charAt(c % ALPHANUMS.length())));
        return b.toString();
    }

    /** Whether two templates are the same once the pod-template-hash label is ignored. */
    static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return canonical(a).equals(canonical(b));
    }

    /** The template in canonical JSON, without the pod-template-hash label. */
    static String canonical(PodTemplateSpec template) {
        JsonNode tree = SERIALIZATION.convertValue(template == null ? new PodTemplateSpec() : template, JsonNode.class);
        if (tree.path("metadata") instanceof ObjectNode meta) {
            if (meta.path("labels") instanceof ObjectNode labels) {
                labels.remove(LABEL);
            }
            for (String map : List.of("labels", "annotations")) {
                if (meta.path(map).isObject() && meta.path(map).isEmpty()) {
                    meta.remove(map);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        write(tree, out);
        return out.toString();
    }

    private static boolean absent(String field, JsonNode value) {
        if (value.isNull() || (value.isArray() && value.isEmpty()) || (value.isTextual() && value.asText().isEmpty())) {
            return true;
        }
        return ZERO_IS_ABSENT.contains(field)
                && ((value.isBoolean() && !value.asBoolean()) || (value.isNumber() && value.asLong() == 0));
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!absent(e.getKey(), e.getValue())) {
                    fields.add(e);
                }
            }
            fields.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(fields.get(i).getKey()));
                out.append(':');
                write(fields.get(i).getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }
}
