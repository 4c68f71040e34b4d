package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.PartialObjectMetadata;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CacheEvent;
import dev.konductor.apiserver.watchcache.CacheWatcher;
import dev.konductor.apiserver.watchcache.CachedObject;
import dev.konductor.apiserver.watchcache.WatchCache;
import dev.konductor.apiserver.watchcache.WatchFilter;
import dev.konductor.store.CompactedException;
import dev.konductor.store.KeyValue;
import dev.konductor.store.RangeResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * list and watch, served from the watch cache: consistent lists (waiting until the cache has
 * caught up), pagination with continue tokens that pin a revision, and watches that resume
 * from a resourceVersion or start with the current state.
 */
final class ListWatchHandler {

    private static final long FRESH_TIMEOUT_MS = 3_000;
    /** A watch that fell behind sends at most this many queued events per write (and flush). */
    static final int MAX_EVENTS_PER_WRITE = 64;
    /** Upstream sends a bookmark about every minute, and one shortly before the watch times out. */
    private static final long BOOKMARK_INTERVAL_MS = 60_000;
    private static final long PRE_TIMEOUT_BOOKMARK_MS = 2_000;

    private final ObjectStorage storage;
    private final Output output;
    private final ObjectMapper mapper;
    private final long minRequestTimeoutSeconds;

    /**
     * @param minRequestTimeoutSeconds upstream's {@code --min-request-timeout}: a watch without
     *                                 timeoutSeconds ends after between one and two times this,
     *                                 so that clients' re-watches spread out
     */
    ListWatchHandler(ObjectStorage storage, Output output, ObjectMapper mapper, long minRequestTimeoutSeconds) {
        this.storage = storage;
        this.output = output;
        this.mapper = mapper;
        this.minRequestTimeoutSeconds = minRequestTimeoutSeconds;
    }

    void list(RequestContext ctx) {
        ListOptions options = ListOptions.parse(ctx.exchange());
        if (options.watch()) {
            watch(ctx, options);
            return;
        }
        Page page = page(ctx, options);
        output.listCached(ctx, page.items(), page.resourceVersion(), page.continueToken());
    }

    /** Every matching object now (deletecollection). */
    List<CachedObject> matching(RequestContext ctx) {
        ListOptions options = ListOptions.parse(ctx.exchange());
        awaitFresh();
        return storage.cache().resource(Keys.prefix(ctx.type())).list(options.filter(ctx.namespace()));
    }

    record Page(List<CachedObject> items, String resourceVersion, String continueToken) {
    }

    private Page page(RequestContext ctx, ListOptions options) {
        WatchCache cache = storage.cache();
        String prefix = Keys.prefix(ctx.type(), ctx.namespace());
        WatchFilter filter = options.filter(ctx.namespace());
        if (options.continueToken() != null && !options.continueToken().isEmpty()) {
            Continue token = Continue.decode(options.continueToken());
            if (token.revision() != cache.revision()) {
                return fromStore(prefix, filter, token.revision(), token.startAfter(), options.limit());
            }
            return fromCache(ctx, filter, cache.revision(), token.startAfter(), options.limit());
        }
        String rv = options.resourceVersion();
        if ("Exact".equals(options.resourceVersionMatch()) && rv != null && !rv.isEmpty() && !rv.equals("0")) {
            return fromStore(prefix, filter, parseRevision(rv), null, options.limit());
        }
        if (rv == null || rv.isEmpty()) {
            awaitFresh();
        } else if (!rv.equals("0")) {
            awaitRevision(parseRevision(rv));
        }
        long revision = cache.revision();
        return fromCache(ctx, filter, revision, null, rv != null && rv.equals("0") ? 0 : options.limit());
    }

    private Page fromCache(RequestContext ctx, WatchFilter filter, long revision, String startAfter, int limit) {
        List<CachedObject> all = storage.cache().resource(Keys.prefix(ctx.type())).list(filter);
        List<CachedObject> items = new ArrayList<>();
        String last = null;
        boolean more = false;
        for (CachedObject o : all) {
            if (startAfter != null && o.key().compareTo(startAfter) <= 0) {
                continue;
            }
            if (limit > 0 && items.size() == limit) {
                more = true;
                break;
            }
            items.add(o);
            last = o.key();
        }
        return new Page(items, Long.toString(revision), more ? new Continue(revision, last).encode() : null);
    }

    private Page fromStore(String prefix, WatchFilter filter, long revision, String startAfter, int limit) {
        List<CachedObject> items = new ArrayList<>();
        String start = startAfter == null ? null : startAfter + "\0";
        String last = null;
        boolean more = true;
        try {
            while (more && (limit == 0 || items.size() < limit)) {
                RangeResult range = storage.store().range(prefix, start, revision, limit == 0 ? 1000 : limit);
                for (KeyValue kv : range.kvs()) {
                    CachedObject o = storage.decode(kv);
                    if (limit > 0 && items.size() == limit) {
                        break;
                    }
                    last = kv.key();
                    if (filter.matches(o)) {
                        items.add(o);
                    }
                }
                more = range.more() || (last != null && !range.kvs().isEmpty()
                        && !last.equals(range.kvs().getLast().key()));
                if (range.kvs().isEmpty()) {
                    more = false;
                }
                start = last == null ? null : last + "\0";
            }
        } catch (CompactedException e) {
            throw StatusException.gone("The provided continue parameter is too old to display a consistent list "
                    + "result. You can start a new list without the continue parameter, or use the continue token in "
                    + "this response to retrieve the remainder of the results. Continuing with the provided token "
                    + "results in an inconsistent list - objects that were created, modified, or deleted between the "
                    + "time the first chunk was returned and now may show up in the list.");
        }
        return new Page(items, Long.toString(revision), more ? new Continue(revision, last).encode() : null);
    }

    private void awaitFresh() {
        storage.cache().waitFresh(FRESH_TIMEOUT_MS);
    }

    private void awaitRevision(long revision) {
        if (!storage.cache().waitUntil(revision, FRESH_TIMEOUT_MS)) {
            throw new StatusException(504, "Timeout", "Too large resource version: " + revision + ", current: "
                    + storage.cache().revision(), null, null, null, null, 1);
        }
    }

    static long parseRevision(String rv) {
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("invalid resource version: " + rv);
        }
    }

    private void watch(RequestContext ctx, ListOptions options) {
        String rv = options.resourceVersion();
        boolean initialState = rv == null || rv.isEmpty() || rv.equals("0");
        long after = 0;
        if (rv == null || rv.isEmpty()) {
            awaitFresh();
        } else if (!initialState) {
            after = parseRevision(rv);
            awaitRevision(after);
        }
        ResourceType type = ctx.type();
        HttpExchange exchange = ctx.exchange();
        CacheWatcher watcher = storage.cache().watch(Keys.prefix(type), options.filter(ctx.namespace()), after,
                initialState);
        Encoding encoding = Output.wantsTable(ctx) ? Encoding.TABLE
                : Output.wantsMetadataOnly(ctx) ? Encoding.METADATA : Encoding.OBJECT;
        try (WatchSink sink = WatchSink.open(exchange)) {
            if (watcher == null) {
                long oldest = storage.cache().oldestWatchableRevision(Keys.prefix(type));
                sink.send(event("ERROR", output.responses().bytes(StatusException.gone(
                        "too old resource version: " + after + " (" + oldest + ")").toStatus())));
                return;
            }
            exchange.onClose(watcher::close);
            stream(ctx, watcher, sink, options, encoding);
        } finally {
            if (watcher != null) {
                watcher.close();
            }
        }
    }

    /** How a watch writes its events' objects, from the Accept header. */
    private enum Encoding { OBJECT, TABLE, METADATA }

    private void stream(RequestContext ctx, CacheWatcher watcher, WatchSink sink, ListOptions options,
                        Encoding encoding) {
        long timeoutMillis = options.timeoutSeconds() > 0 ? options.timeoutSeconds() * 1000
                : java.util.concurrent.ThreadLocalRandom.current().nextLong(minRequestTimeoutSeconds * 1000,
                minRequestTimeoutSeconds * 2000);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long nextBookmark = nextBookmark(System.currentTimeMillis(), deadline);
        boolean first = true;
        try {
            while (sink.isOpen()) {
                long now = System.currentTimeMillis();
                if (now >= deadline) {
                    return;
                }
                // read before waiting: every event up to this revision is queued by then, so an empty
                // wait means the client has seen them all and may resume from here
                long seen = storage.cache().revision();
                CacheEvent e = watcher.next(Math.max(1, Math.min(deadline, nextBookmark) - now));
                if (e == null) {
                    if (System.currentTimeMillis() >= nextBookmark) {
                        if (options.bookmarks() && !sink.send(bookmark(ctx.type(), seen, encoding))) {
                            return;
                        }
                        nextBookmark = nextBookmark(System.currentTimeMillis(), deadline);
                    }
                    continue;
                }
                List<CacheEvent> ready = new ArrayList<>();
                ready.add(e);
                watcher.drainReady(ready, MAX_EVENTS_PER_WRITE - 1);
                List<byte[]> encoded = new ArrayList<>(ready.size());
                for (CacheEvent next : ready) {
                    byte[] body = switch (encoding) {
                        case TABLE -> tableBytes(ctx, next.object(), first);
                        case METADATA -> next.object().metadataJson(mapper);
                        case OBJECT -> objectBytes(ctx.type(), next.object());
                    };
                    first = false;
                    encoded.add(event(next.type().name(), body));
                }
                if (!sink.sendAll(encoded)) {
                    return;
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (CacheWatcher.WatcherTerminatedException terminated) {
            // the client re-watches from its last resourceVersion
        }
    }

    /**
     * When the next bookmark is due: a minute from now, or about two seconds before the deadline
     * if that comes first (so the client resumes from a fresh resourceVersion); never, after that.
     */
    static long nextBookmark(long now, long deadline) {
        long beforeTimeout = deadline - PRE_TIMEOUT_BOOKMARK_MS;
        long periodic = now + BOOKMARK_INTERVAL_MS;
        if (beforeTimeout < periodic) {
            return beforeTimeout > now ? beforeTimeout : Long.MAX_VALUE;
        }
        return periodic;
    }

    private byte[] objectBytes(ResourceType type, CachedObject o) {
        if (!output.needsConversion(type, o.object())) {
            return o.json(mapper);
        }
        return output.responses().bytes(output.served(type, o.object()));
    }

    private byte[] tableBytes(RequestContext ctx, CachedObject o, boolean withColumns) {
        ObjectNode served = output.served(ctx.type(), o.object());
        ObjectNode table = output.table(ctx, List.of(served), served.path("metadata").path("resourceVersion").asText());
        if (!withColumns) {
            table.putArray("columnDefinitions");
        }
        return output.responses().bytes(table);
    }

    private byte[] bookmark(ResourceType type, long revision, Encoding encoding) {
        ObjectNode obj = mapper.createObjectNode();
        boolean metadata = encoding == Encoding.METADATA;
        obj.put("kind", metadata ? PartialObjectMetadata.KIND : type.kind());
        obj.put("apiVersion", metadata ? PartialObjectMetadata.API_VERSION : type.apiVersion());
        obj.putObject("metadata").put("resourceVersion", Long.toString(revision));
        return event("BOOKMARK", output.responses().bytes(obj));
    }

    /** {@code {"type":TYPE,"object":OBJECT}} and a newline, in one array (made for every watcher of every event). */
    private static byte[] event(String type, byte[] object) {
        byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
        byte[] event = new byte[head.length + object.length + 2];
        System.arraycopy(head, 0, event, 0, head.length);
        System.arraycopy(object, 0, event, head.length, object.length);
        event[event.length - 2] = '}';
        event[event.length - 1] = '\n';
        return event;
    }

    /** A continue token: the revision the list is pinned to and the last key returned. */
    record Continue(long revision, String startAfter) {
        String encode() {
            String json = "{\"v\":\"meta.k8s.io/v1\",\"rv\":" + revision + ",\"start\":\"" + startAfter + "\"}";
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }

        static Continue decode(String token) {
            try {
                JsonNode node = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token));
                return new Continue(node.path("rv").asLong(), node.path("start").asText());
            } catch (Exception e) {
                throw StatusException.badRequest("invalid continue token: " + e.getMessage());
            }
        }
    }
}
