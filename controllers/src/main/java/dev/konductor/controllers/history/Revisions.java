package dev.konductor.controllers.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.controllers.framework.OwnerRefs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ControllerRevisions as the DaemonSet and StatefulSet controllers keep them: one immutable
 * snapshot of the pod template per revision, named {@code <owner>-<hash>}, whose {@code data} is
 * the patch that puts that template back ({@code {"spec":{"template":{…,"$patch":"replace"}}}}),
 * numbered by {@code revision} (a rollback renumbers an old snapshot instead of copying it).
 */
public final class Revisions {

    /** The label that names a pod's revision (apps/v1 {@code ControllerRevisionHashLabelKey}). */
    public static final String POD_REVISION_LABEL = "controller-revision-hash";
    /** The label the StatefulSet controller puts on its ControllerRevisions with the data's hash. */
    public static final String HASH_LABEL = "controller.kubernetes.io/hash";

    /** Upstream keeps names within 253 characters: the owner part is cut to 223. */
    static final int MAX_PREFIX = 223;
    /** The alphabet upstream encodes hashes with: no vowels, nothing that reads as a word or a look-alike. */
    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Revisions() {
    }

    /** The revision data for {@code template}: a patch replacing the owner's pod template. Keys are sorted. */
    public static Map<String, Object> templatePatch(PodTemplateSpec template) {
        ObjectNode templateNode = JSON.valueToTree(template);
        templateNode.put("$patch", "replace");
        Map<String, Object> spec = new TreeMap<>();
        spec.put("template", sorted(templateNode));
        Map<String, Object> data = new TreeMap<>();
        data.put("spec", spec);
        return data;
    }

    /** The pod template a revision's data holds (the inverse of {@link #templatePatch}). */
    public static PodTemplateSpec template(ControllerRevision revision) {
        JsonNode template = JSON.valueToTree(revision.getData()).path("spec").path("template");
        if (!(template instanceof ObjectNode object)) {
            throw new IllegalArgumentException("ControllerRevision " + revision.getMetadata().getName()
                    + " holds no spec.template");
        }
        ObjectNode copy = object.deepCopy();
        copy.remove("$patch");
        return JSON.convertValue(copy, PodTemplateSpec.class);
    }

    /** The data serialized with sorted keys: what hashes and equality are computed over. */
    public static String canonicalData(Object data) {
        try {
            return JSON.writeValueAsString(JSON.convertValue(data, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("revision data is not JSON: " + e.getMessage(), e);
        }
    }

    /** True if two revisions hold the same data (upstream's EqualRevision, without the hash shortcut). */
    public static boolean sameData(ControllerRevision a, ControllerRevision b) {
        return canonicalData(a.getData()).equals(canonicalData(b.getData()));
    }

    /**
     * The hash naming a revision of {@code data}: FNV-1a (32 bit) over the canonical JSON and the
     * collision count, written in decimal and spelled with the safe alphabet (as upstream spells
     * its hashes, so they look the same: {@code web-7c9f5d4b6}).
     */
    public static String hash(Object data, int collisionCount) {
        int h = 0x811c9dc5;
        h = fnv1a(h, canonicalData(data).getBytes(StandardCharsets.UTF_8));
        if (collisionCount > 0) {
            h = fnv1a(h, Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8));
        }
        String decimal = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder safe = new StringBuilder(decimal.length());
        for (int i = 0; i < decimal.length(); i++) {
            safe.append(SAFE_ALPHABET.charAt(decimal.charAt(i) % SAFE_ALPHABET.length()));
        }
        return safe.toString();
    }

    private static int fnv1a(int h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    /** {@code <owner>-<hash>}, with the owner part cut so the name stays a valid object name. */
    public static String name(String ownerName, String hash) {
        String prefix = ownerName.length() > MAX_PREFIX ? ownerName.substring(0, MAX_PREFIX) : ownerName;
        return prefix + "-" + hash;
    }

    /**
     * A new (not yet stored) revision of {@code owner}'s pod template, named by the hash of its data
     * and the collision count, labelled with the template's labels plus {@code hashLabel=hash}, owned
     * by {@code owner} (controller reference) and carrying the owner's annotations.
     */
    public static ControllerRevision build(HasMetadata owner, PodTemplateSpec template, String hashLabel,
                                           long revisionNumber, int collisionCount) {
        Map<String, Object> data = templatePatch(template);
        String hash = hash(data, collisionCount);
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(hashLabel, hash);
        Map<String, String> annotations = owner.getMetadata().getAnnotations() == null ? null
                : new LinkedHashMap<>(owner.getMetadata().getAnnotations());
        return new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName(name(owner.getMetadata().getName(), hash))
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(OwnerRefs.controllerRef(owner))
                .endMetadata()
                .withData(data)
                .withRevision(revisionNumber)
                .build();
    }

    /** The hash a revision's name ends with. */
    public static String hashOf(ControllerRevision revision) {
        String name = revision.getMetadata().getName();
        return name.substring(name.lastIndexOf('-') + 1);
    }

    /** Oldest first: by revision number, then name. */
    public static final Comparator<ControllerRevision> BY_REVISION = Comparator
            .comparingLong((ControllerRevision r) -> r.getRevision() == null ? 0 : r.getRevision())
            .thenComparing(r -> r.getMetadata().getName());

    /** One more than the highest revision number in {@code revisions} (1 for none). */
    public static long nextRevisionNumber(List<ControllerRevision> revisions) {
        return revisions.stream().mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision()).max().orElse(0) + 1;
    }

    /** The newest revision holding the same data as {@code wanted}, if any. */
    public static Optional<ControllerRevision> newestEqual(List<ControllerRevision> revisions,
                                                           ControllerRevision wanted) {
        String data = canonicalData(wanted.getData());
        return revisions.stream().filter(r -> canonicalData(r.getData()).equals(data)).max(BY_REVISION);
    }

    private static Object sorted(JsonNode node) {
        return JSON.convertValue(node, Object.class) instanceof Map<?, ?> map ? sortedMap(map) : node;
    }

    private static Map<String, Object> sortedMap(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), sortedValue(v)));
        return out;
    }

    private static Object sortedValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return sortedMap(map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Revisions::sortedValue).toList();
        }
        return value;
    }
}
