package dev.konductor.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.schema.ModelSchemas;
import dev.konductor.api.schema.Schema;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API server's OpenAPI documents: the OpenAPI v3 discovery root and one v3 document per
 * group/version (what kubectl 1.29+ {@code apply} and {@code explain} read), and the single Swagger
 * 2.0 document, as JSON and as gnostic protobuf (what kubectl 1.27/1.28 read).
 *
 * <p>Documents are built on first request and cached until the resources they describe change:
 * a resource added to or removed from the registry, or a custom resource schema put or removed.
 * Returned documents are shared and must not be modified.
 */
public final class OpenApi {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResourceRegistry registry;
    private final ModelSchemas models;
    private final Map<GroupVersionKind, Schema.ObjectType> customSchemas = new ConcurrentHashMap<>();
    /** Bumped on every custom schema change; a cached document from an older generation is stale. */
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Cached<GroupVersionDocument>> v3Cache = new ConcurrentHashMap<>();
    private volatile Cached<V2Document> v2Cache;

    /** A v3 document and its hash, which the root advertises so clients can cache the document. */
    private record GroupVersionDocument(JsonNode document, String hash) {
    }

    private record V2Document(JsonNode json, byte[] protobuf) {
    }

    /** A cached value, valid while the generation and the resources it was built from are unchanged. */
    private record Cached<T>(long generation, List<ResourceType> resources, T value) {
        boolean validFor(long currentGeneration, Collection<ResourceType> currentResources) {
            return generation == currentGeneration && resources.equals(List.copyOf(currentResources));
        }
    }

    public OpenApi(ResourceRegistry registry, ModelSchemas models) {
        this.registry = registry;
        this.models = models;
    }

    /** The body of {@code GET /openapi/v3}: every group/version with the URL of its document. */
    public JsonNode v3Root() {
        ObjectNode root = NODES.objectNode();
        ObjectNode paths = root.putObject("paths");
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                String path = group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
                String hash = groupVersionDocument(group, version).hash();
                paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash);
            }
        }
        return root;
    }

    /** The body of {@code GET /openapi/v3/apis/<group>/<version>} ({@code api/v1} for core). */
    public Optional<JsonNode> v3GroupVersion(String group, String version) {
        if (registry.resources(group, version).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(groupVersionDocument(group, version).document());
    }

    /** The hash the v3 root advertises for a group/version, to compare with a request's {@code hash}. */
    public Optional<String> v3Hash(String group, String version) {
        if (registry.resources(group, version).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(groupVersionDocument(group, version).hash());
    }

    /** The body of {@code GET /openapi/v2} as JSON. */
    public JsonNode v2Json() {
        return v2Document().json();
    }

    /** The body of {@code GET /openapi/v2} for {@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}. */
    public byte[] v2Protobuf() {
        return v2Document().protobuf().clone();
    }

    /**
     * Publishes the schema of a custom resource kind (from its CRD's openAPIV3Schema, see
     * {@link dev.konductor.api.schema.CrdSchemas}); replaces an earlier one for the same kind.
     */
    public void putCustomResource(ResourceType type, Schema schema) {
        customSchemas.put(type.gvk(), Documents.customKind(type, schema, models));
        generation.incrementAndGet();
    }

    public void removeCustomResource(ResourceType type) {
        customSchemas.remove(type.gvk());
        generation.incrementAndGet();
    }

    private GroupVersionDocument groupVersionDocument(String group, String version) {
        String key = group + "/" + version;
        long current = generation.get();
        List<ResourceType> resources = registry.resources(group, version);
        Cached<GroupVersionDocument> cached = v3Cache.get(key);
        if (cached != null && cached.validFor(current, resources)) {
            return cached.value();
        }
        JsonNode document = documents().v3(group, version, resources);
        GroupVersionDocument built = new GroupVersionDocument(document, hash(document));
        v3Cache.put(key, new Cached<>(current, List.copyOf(resources), built));
        return built;
    }

    private V2Document v2Document() {
        long current = generation.get();
        Collection<ResourceType> resources = registry.all();
        Cached<V2Document> cached = v2Cache;
        if (cached != null && cached.validFor(current, resources)) {
            return cached.value();
        }
        JsonNode json = documents().v2(resources);
        V2Document built = new V2Document(json, GnosticEncoder.document(json));
        v2Cache = new Cached<>(current, List.copyOf(resources), built);
        return built;
    }

    private Documents documents() {
        return new Documents(registry, models, Map.copyOf(customSchemas));
    }

    /** Upstream's content hash: SHA-512 of the document, in upper-case hex. */
    private static String hash(JsonNode document) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(JSON.writeValueAsBytes(document));
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot hash OpenAPI document", e);
        }
    }

    /** Every GVK served, for the {@code x-kubernetes-group-version-kind} of meta types used by all groups. */
    static List<GroupVersionKind> allGroupVersions(ResourceRegistry registry, String kind) {
        List<GroupVersionKind> kinds = new ArrayList<>();
        kinds.add(new GroupVersionKind("", "v1", kind));
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                GroupVersionKind gvk = new GroupVersionKind(group, version, kind);
                if (!kinds.contains(gvk)) {
                    kinds.add(gvk);
                }
            }
        }
        return kinds;
    }
}
