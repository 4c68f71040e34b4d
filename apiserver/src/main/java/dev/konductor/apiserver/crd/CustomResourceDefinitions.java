package dev.konductor.apiserver.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.schema.CrdSchemas;
import dev.konductor.api.schema.Schema;
import dev.konductor.apiserver.openapi.OpenApi;
import dev.konductor.apiserver.printers.ColumnSpec;
import dev.konductor.apiserver.rest.ApiRules;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CacheEvent;
import dev.konductor.apiserver.watchcache.CacheWatcher;
import dev.konductor.apiserver.watchcache.CachedObject;
import dev.konductor.apiserver.watchcache.WatchFilter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the custom resources that CustomResourceDefinitions declare, as upstream's
 * apiextensions-apiserver does: it follows the definitions in the watch cache and, for each
 * served version, registers the resource (discovery and routing), its schema rules (validation,
 * defaulting, pruning, patching), its printer columns and its OpenAPI schema; it writes the
 * definition's status ({@code NamesAccepted}, {@code Established}, {@code acceptedNames},
 * {@code storedVersions}); and when a definition is deleted it deletes its objects, releases the
 * {@value #CLEANUP_FINALIZER} finalizer and unregisters the resource.
 *
 * <p>All changes to what is served happen on one thread, in the order the definitions changed.
 */
public final class CustomResourceDefinitions implements AutoCloseable {

    /** Upstream's finalizer that holds a definition until its objects are gone. */
    public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    private static final Logger log = LoggerFactory.getLogger(CustomResourceDefinitions.class);

    private final ResourceRegistry registry;
    private final ObjectStorage storage;
    private final ApiRules rules;
    private final OpenApi openApi;
    private final CrdSchemas schemas;
    private final ResourceType definitionType;
    /** What each definition (by name) currently serves. */
    private final Map<String, Served> served = new ConcurrentHashMap<>();
    private final Map<GroupVersionKind, List<ColumnSpec>> columns = new ConcurrentHashMap<>();
    private final Set<String> cleaning = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile CacheWatcher watcher;
    private Thread loop;

    /** What one definition serves: its versions, and whether it is being deleted. */
    private record Served(List<ServedVersion> versions, boolean terminating) {
    }

    public CustomResourceDefinitions(ResourceRegistry registry, ObjectStorage storage, ApiRules rules,
                                     OpenApi openApi) {
        this.registry = registry;
        this.storage = storage;
        this.rules = rules;
        this.openApi = openApi;
        this.schemas = new CrdSchemas(rules.models());
        this.definitionType = registry.byKind(new GroupVersionKind("apiextensions.k8s.io", "v1",
                "CustomResourceDefinition")).orElseThrow();
    }

    /** Serves every stored definition's resources, then follows changes in the background. */
    public void start() {
        resync();
        loop = Thread.ofVirtual().name("crd-registration").start(this::run);
    }

    /** The printer columns of a custom resource version; empty for the default AGE column. */
    public List<ColumnSpec> columns(ResourceType type) {
        return columns.getOrDefault(type.gvk(), List.of());
    }

    private void run() {
        while (!closed) {
            try {
                CacheWatcher w = watcher;
                CacheEvent event = w == null ? null : w.next(1_000);
                if (w == null) {
                    Thread.sleep(500);
                    resync();
                } else if (event != null) {
                    if (event.type() == CacheEvent.Type.DELETED) {
                        unregister(event.object().name());
                    } else {
                        sync(event.object());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (CacheWatcher.WatcherTerminatedException e) {
                if (!closed) {
                    resync();
                }
            } catch (RuntimeException e) {
                log.error("custom resource registration failed error={}", e.toString(), e);
            }
        }
    }

    /** Lists the definitions, serves them, drops what is gone, and watches from there. */
    private void resync() {
        storage.cache().waitFresh(3_000);
        long revision = storage.cache().revision();
        String prefix = Keys.prefix(definitionType);
        List<CachedObject> definitions = storage.cache().resource(prefix).list(WatchFilter.ALL);
        Set<String> present = new HashSet<>();
        for (CachedObject crd : definitions) {
            present.add(crd.name());
            sync(crd);
        }
        for (String name : Set.copyOf(served.keySet())) {
            if (!present.contains(name)) {
                unregister(name);
            }
        }
        CacheWatcher old = watcher;
        if (old != null) {
            old.close();
        }
        watcher = storage.cache().watch(prefix, WatchFilter.ALL, revision, false);
    }

    private void sync(CachedObject definition) {
        ObjectNode crd = definition.object();
        boolean terminating = crd.path("metadata").has("deletionTimestamp");
        List<ServedVersion> versions = ServedVersion.of(crd);
        if (!versions.isEmpty() && builtInHolds(versions.get(0).type())) {
            // its objects would share the built-in resource's storage; upstream refuses such names too
            log.warn("custom resource not served: a built-in resource has its name crd={}", definition.name());
            versions = List.of();
        }
        register(definition.name(), new Served(versions, terminating));
        if (terminating) {
            if (hasCleanupFinalizer(crd) && cleaning.add(definition.name())) {
                Thread.ofVirtual().name("crd-cleanup-" + definition.name())
                        .start(() -> cleanUp(definition.name()));
            }
            return;
        }
        ObjectNode status = DefinitionStatus.desired(crd, now());
        if (status != null) {
            writeStatus(definition, status);
        }
    }

    private boolean builtInHolds(ResourceType custom) {
        return registry.all().stream().anyMatch(t -> t.modelClass() != null && t.group().equals(custom.group())
                && t.plural().equals(custom.plural()));
    }

    private void register(String name, Served now) {
        Served before = served.get(name);
        if (now.equals(before)) {
            return;
        }
        if (before != null) {
            for (ServedVersion old : before.versions()) {
                ResourceType type = old.type();
                if (now.versions().stream().noneMatch(v -> v.type().gvk().equals(type.gvk()))) {
                    forgetRules(type);
                }
                if (now.versions().stream().noneMatch(v -> samePath(v.type(), type))) {
                    registry.remove(type.group(), type.version(), type.plural());
                }
            }
        }
        for (ServedVersion version : now.versions()) {
            ResourceType type = version.type();
            Schema.ObjectType schema = schemas.fromOpenApiV3(version.openApiV3Schema(), null);
            rules.putCustom(type, new ApiRules.CustomKind(schema, version.openApiV3Schema(), version.scale(),
                    now.terminating()));
            columns.put(type.gvk(), version.columns());
            boolean publishedAsIs = before != null && before.versions().stream().anyMatch(v -> v.type().equals(type)
                    && v.openApiV3Schema().equals(version.openApiV3Schema()));
            if (!publishedAsIs) {
                openApi.putCustomResource(type, schema);
            }
        }
        // added in preference order: each add moves a type to the end, so the group's versions stay sorted
        for (ServedVersion version : now.versions()) {
            registry.add(version.type());
        }
        served.put(name, now);
        log.info("custom resource served crd={} versions={} terminating={}", name,
                now.versions().stream().map(v -> v.type().version()).toList(), now.terminating());
    }

    private void unregister(String name) {
        Served before = served.remove(name);
        if (before == null) {
            return;
        }
        for (ServedVersion version : before.versions()) {
            ResourceType type = version.type();
            registry.remove(type.group(), type.version(), type.plural());
            forgetRules(type);
        }
        log.info("custom resource no longer served crd={}", name);
    }

    private void forgetRules(ResourceType type) {
        rules.removeCustom(type);
        openApi.removeCustomResource(type);
        columns.remove(type.gvk());
    }

    private static boolean samePath(ResourceType a, ResourceType b) {
        return a.group().equals(b.group()) && a.version().equals(b.version()) && a.plural().equals(b.plural());
    }

    private void writeStatus(CachedObject definition, ObjectNode status) {
        ObjectNode updated = definition.object().deepCopy();
        updated.set("status", status);
        if (storage.update(definition.key(), updated, definition.modRevision()) == null) {
            log.debug("definition changed while writing its status crd={}", definition.name());
        }
    }

    /**
     * Deletes the objects of a definition being deleted, then releases its finalizer. Objects with
     * finalizers of their own are marked and waited for.
     */
    private void cleanUp(String name) {
        try {
            String key = Keys.key(definitionType, null, name);
            while (!closed) {
                storage.cache().waitFresh(3_000);
                CachedObject definition = storage.get(definitionType, key);
                if (definition == null || !hasCleanupFinalizer(definition.object())) {
                    return;
                }
                ObjectNode status = DefinitionStatus.deleting(definition.object(), now());
                if (status != null) {
                    writeStatus(definition, status);
                    continue;
                }
                String prefix = objectPrefix(definition.object());
                List<CachedObject> remaining = storage.cache().resource(prefix).list(WatchFilter.ALL);
                for (CachedObject object : remaining) {
                    deleteObject(object);
                }
                if (remaining.isEmpty()) {
                    releaseFinalizer(definition);
                    continue;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("custom resource cleanup failed crd={} error={}", name, e.toString(), e);
        } finally {
            cleaning.remove(name);
        }
    }

    private void deleteObject(CachedObject object) {
        ObjectNode meta = (ObjectNode) object.object().path("metadata");
        if (meta.path("finalizers").isEmpty()) {
            storage.delete(object.key(), object.modRevision());
        } else if (!meta.has("deletionTimestamp")) {
            ObjectNode marked = object.object().deepCopy();
            marked.withObject("metadata").put("deletionTimestamp", now().toString());
            marked.withObject("metadata").put("deletionGracePeriodSeconds", 0);
            storage.update(object.key(), marked, object.modRevision());
        }
    }

    private void releaseFinalizer(CachedObject definition) {
        ObjectNode updated = definition.object().deepCopy();
        var finalizers = updated.withObject("metadata").withArray("finalizers");
        for (int i = finalizers.size() - 1; i >= 0; i--) {
            if (finalizers.get(i).asText().equals(CLEANUP_FINALIZER)) {
                finalizers.remove(i);
            }
        }
        if (finalizers.isEmpty()) {
            storage.delete(definition.key(), definition.modRevision());
        } else {
            storage.update(definition.key(), updated, definition.modRevision());
        }
    }

    /** Where the definition's objects are stored: every version shares one key prefix. */
    private static String objectPrefix(ObjectNode crd) {
        return dev.konductor.apiserver.watchcache.WatchCache.ROOT + crd.path("spec").path("group").asText() + "/"
                + crd.path("spec").path("names").path("plural").asText() + "/";
    }

    private static boolean hasCleanupFinalizer(ObjectNode crd) {
        for (var f : crd.path("metadata").path("finalizers")) {
            if (f.asText().equals(CLEANUP_FINALIZER)) {
                return true;
            }
        }
        return false;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public void close() {
        closed = true;
        CacheWatcher w = watcher;
        if (w != null) {
            w.close();
        }
        if (loop != null) {
            loop.interrupt();
        }
    }
}
