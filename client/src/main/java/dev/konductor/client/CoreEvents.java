package dev.konductor.client;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events as upstream's record package does for the kubelet and the controllers:
 * each Event named {@code <object>.<hex nanos>} with {@code source.component} (and
 * {@code source.host} on a node), in the object's namespace ({@code default} for cluster-scoped
 * objects); the same event again (same object and field path, type, reason and message) within
 * ten minutes bumps {@code count} and {@code lastTimestamp} of the Event already written, with a
 * patch that does not read it first (a node may write events but not read them).
 *
 * <p>Recording never waits for the API server: events are queued and written in order by one
 * writer thread, as upstream's broadcaster does, so a pod's start or a reconcile is not held up by
 * its events. When the queue is full (the API server unreachable or far behind) further events are
 * dropped, and an event that cannot be written is dropped too: events are best effort upstream as
 * well. A write reads nothing of the answer but its status code.
 */
public final class CoreEvents implements AutoCloseable {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private static final Logger log = LoggerFactory.getLogger(CoreEvents.class);
    private static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
    private static final int REMEMBERED = 4096;
    /** Upstream's broadcaster queues up to 1000 events. */
    static final int QUEUE_LIMIT = 1000;
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);

    /** What makes two events "the same" for counting. */
    private record Key(String kind, String namespace, String name, String uid, String fieldPath, String type,
                       String reason, String message) {
    }

    /** An Event as written: where it is, its count so far and when it was last seen. */
    private record Written(String namespace, String name, int count, Instant last) {
    }

    private final RawRequests requests;
    private final Function<Object, String> json;
    private final String component;
    private final String host;
    private final Clock clock;
    private final Map<Key, Written> written = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Written> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    private final Thread writer;

    /**
     * @param component {@code source.component} and {@code reportingComponent} (kubelet,
     *                  replicaset-controller, ...)
     * @param host      {@code source.host} and {@code reportingInstance}: the node's name for the
     *                  kubelet, null for the controllers
     */
    public CoreEvents(KubernetesClient client, String component, String host, Clock clock) {
        this.requests = new RawRequests(client);
        this.json = client.getKubernetesSerialization()::asJson;
        this.component = component;
        this.host = host;
        this.clock = clock;
        this.writer = Thread.ofVirtual().name("events-" + component).start(this::drain);
    }

    public void normal(HasMetadata regarding, String reason, String message) {
        record(reference(regarding), NORMAL, reason, message);
    }

    public void warning(HasMetadata regarding, String reason, String message) {
        record(reference(regarding), WARNING, reason, message);
    }

    public void record(HasMetadata regarding, String type, String reason, String message) {
        record(reference(regarding), type, reason, message);
    }

    /** Queues the event for the writer, stamped with the time of this call; returns at once. */
    public void record(ObjectReference involved, String type, String reason, String message) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (!queue.offer(() -> write(involved, type, reason, message, now))) {
            log.debug("event queue full, dropping {} {} for {}/{}", type, reason, involved.getNamespace(),
                    involved.getName());
        }
    }

    /** A reference to {@code obj} as its events carry it. */
    public static ObjectReference reference(HasMetadata obj) {
        return new ObjectReferenceBuilder().withApiVersion(obj.getApiVersion()).withKind(obj.getKind())
                .withNamespace(obj.getMetadata().getNamespace()).withName(obj.getMetadata().getName())
                .withUid(obj.getMetadata().getUid()).withResourceVersion(obj.getMetadata().getResourceVersion())
                .build();
    }

    private void write(ObjectReference involved, String type, String reason, String message, Instant now) {
        Key key = new Key(involved.getKind(), involved.getNamespace(), involved.getName(), involved.getUid(),
                involved.getFieldPath(), type, reason, message);
        Written previous;
        synchronized (written) {
            previous = written.get(key);
        }
        try {
            if (previous != null && Duration.between(previous.last(), now).compareTo(AGGREGATION_WINDOW) < 0
                    && bump(previous, now)) {
                remember(key, new Written(previous.namespace(), previous.name(), previous.count() + 1, now));
                return;
            }
            String namespace = involved.getNamespace() == null || involved.getNamespace().isEmpty()
                    ? "default" : involved.getNamespace();
            String name = involved.getName() + "." + uniqueSuffix();
            Event event = new EventBuilder()
                    .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                    .withInvolvedObject(involved)
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent(component).withHost(host).endSource()
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .withReportingComponent(component).withReportingInstance(host == null ? "" : host)
                    .build();
            RawRequests.Response response = requests.send("POST", RawRequests.corePath(namespace, "events"),
                    RawRequests.JSON, json.apply(event));
            if (!response.ok()) {
                throw new KubernetesClientException("HTTP " + response.code() + ": " + response.body(),
                        response.code(), null);
            }
            remember(key, new Written(namespace, name, 1, now));
        } catch (KubernetesClientException e) {
            log.debug("cannot record event {} for {}/{}: {}", reason, involved.getNamespace(), involved.getName(),
                    e.getMessage());
            synchronized (written) {
                written.remove(key);
            }
        }
    }

    /** Counts one more occurrence on the Event already written; false if it is gone (expired, deleted). */
    private boolean bump(Written previous, Instant now) {
        String patch = "{\"count\":" + (previous.count() + 1) + ",\"lastTimestamp\":\"" + now + "\"}";
        RawRequests.Response response = requests.send("PATCH",
                RawRequests.corePath(previous.namespace(), "events", previous.name()),
                RawRequests.STRATEGIC_MERGE_PATCH, patch);
        if (response.code() == 404) {
            return false;
        }
        if (!response.ok()) {
            throw new KubernetesClientException("HTTP " + response.code() + ": " + response.body(), response.code(),
                    null);
        }
        return true;
    }

    /** As upstream: the time in nanoseconds, in hex (plus a little randomness against same-instant collisions). */
    private String uniqueSuffix() {
        Instant now = clock.instant();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() + ThreadLocalRandom.current().nextInt(1000);
        return Long.toHexString(nanos);
    }

    private void remember(Key key, Written value) {
        synchronized (written) {
            written.put(key, value);
        }
    }

    private void drain() {
        try {
            while (true) {
                Runnable write = queue.take();
                try {
                    write.run();
                } catch (RuntimeException e) { // best effort, and the writer must outlive any one event
                    log.debug("cannot record event: {}", e.toString());
                }
            }
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives the queued events a moment to be written, then stops the writer. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + CLOSE_FLUSH.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        writer.interrupt();
    }
}
