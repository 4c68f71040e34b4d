package dev.konductor.scheduler.events;

import dev.konductor.client.CoreEvents;
import dev.konductor.client.RawRequests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventSeriesBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records events.k8s.io/v1 Events as upstream's new event recorder (the one the scheduler uses):
 * named {@code <object>.<hex nanos>}, with eventTime, reportingController, reportingInstance,
 * action, regarding and related. The same event again within 6 minutes becomes a series on the
 * first Event ({@code series.count}, {@code series.lastObservedTime}) instead of a new object.
 * Writes happen on a background thread, coalesced per Event; an Event that cannot be written is
 * dropped (events are best effort upstream too).
 */
public final class EventRecorder implements AutoCloseable {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    private static final Duration SERIES_WINDOW = Duration.ofMinutes(6);
    private static final int MAX_REMEMBERED = 4096;
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

    /** Null when there is no API server to write to (unit tests): events are recorded, never written. */
    private final RawRequests requests;
    private final Function<Object, String> json;
    private final String controller;
    private final String instance;
    private final Clock clock;
    private final LinkedBlockingQueue<String> writes = new LinkedBlockingQueue<>(10_000);
    private final Map<String, Recorded> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    /** Events with a write queued, by identity: a later occurrence rides along with the queued write. */
    private final Map<String, Recorded> pending = new HashMap<>();
    private final Thread writer;

    /** One Event as last written (or to be written), with its occurrences so far. */
    private static final class Recorded {
        Event event;
        int count = 1;
        Instant lastObserved;
        boolean created;
    }

    public EventRecorder(KubernetesClient client, String controller, String instance, Clock clock) {
        this.requests = client == null ? null : new RawRequests(client);
        this.json = client == null ? null : client.getKubernetesSerialization()::asJson;
        this.controller = controller;
        this.instance = instance;
        this.clock = clock;
        this.writer = Thread.ofVirtual().name("events-" + controller).start(this::drain);
    }

    /**
     * @param related  a second object involved (the preemptor of a Preempted victim), or null
     * @param action   what was done (Scheduling, Binding, Preempting)
     */
    public void event(HasMetadata regarding, HasMetadata related, String type, String reason, String action,
                      String note) {
        ObjectReference ref = CoreEvents.reference(regarding);
        ObjectReference relatedRef = related == null ? null : CoreEvents.reference(related);
        String identity = String.join("\u0000", ref.getUid(), relatedRef == null ? "" : relatedRef.getUid(), type,
                reason, action, note);
        Instant now = clock.instant();
        synchronized (this) {
            Recorded r = recent.get(identity);
            if (r != null && r.lastObserved.plus(SERIES_WINDOW).isAfter(now)) {
                r.count++;
                r.lastObserved = now;
            } else {
                r = new Recorded();
                r.lastObserved = now;
                r.event = new EventBuilder()
                        .withNewMetadata().withName(ref.getName() + "." + Long.toHexString(nanos(now)))
                        .withNamespace(namespaceOf(ref)).endMetadata()
                        .withEventTime(new MicroTime(MICRO_TIME.format(now)))
                        .withReportingController(controller).withReportingInstance(instance)
                        .withAction(action).withReason(reason).withRegarding(ref).withRelated(relatedRef)
                        .withNote(note).withType(type)
                        .build();
                recent.put(identity, r);
            }
            if (pending.putIfAbsent(identity, r) == null && !writes.offer(identity)) {
                pending.remove(identity);
                log.debug("event queue full, dropping {} for {}", reason, ref.getName());
            }
        }
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static String namespaceOf(ObjectReference ref) {
        return ref.getNamespace() == null || ref.getNamespace().isEmpty() ? "default" : ref.getNamespace();
    }

    private void write(String identity) {
        Recorded r;
        Event event;
        int count;
        Instant lastObserved;
        boolean created;
        synchronized (this) {
            r = pending.remove(identity);
            if (r == null) {
                return;
            }
            event = r.event;
            count = r.count;
            lastObserved = r.lastObserved;
            created = r.created;
        }
        String namespace = event.getMetadata().getNamespace();
        String path = "/apis/events.k8s.io/v1/namespaces/" + namespace + "/events";
        try {
            if (requests == null) {
                throw new IllegalStateException("no API server");
            }
            // the answer (the Event as stored) is not decoded: nothing here needs it
            RawRequests.Response response;
            if (!created) {
                Event toCreate = count == 1 ? event : new EventBuilder(event).withSeries(new EventSeriesBuilder()
                        .withCount(count).withLastObservedTime(new MicroTime(MICRO_TIME.format(lastObserved)))
                        .build()).build();
                response = requests.send("POST", path, RawRequests.JSON, json.apply(toCreate));
                if (response.ok()) {
                    synchronized (this) {
                        r.created = true;
                    }
                }
            } else {
                String patch = "{\"series\":{\"count\":" + count + ",\"lastObservedTime\":\""
                        + MICRO_TIME.format(lastObserved) + "\"}}";
                response = requests.send("PATCH", path + "/" + event.getMetadata().getName(), RawRequests.MERGE_PATCH,
                        patch);
            }
            if (!response.ok()) {
                throw new KubernetesClientException("HTTP " + response.code() + ": " + response.body(),
                        response.code(), null);
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                if (Objects.equals(recent.get(identity), r) && !r.created) {
                    recent.remove(identity);
                }
            }
            log.debug("cannot record event {} for {}/{}: {}", event.getReason(), namespace,
                    event.getRegarding().getName(), e.toString());
        }
    }

    private void drain() {
        try {
            while (true) {
                write(writes.take());
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        writer.interrupt();
    }
}
