package dev.konductor.controllers.framework;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about objects, as upstream's event recorder does: named
 * {@code <object>.<hex nanos>}, with {@code source.component}, and the same event again
 * (same object, type, reason and message) counted on the existing Event instead of a new one.
 * Writes happen on a background thread, so recording never blocks a reconcile; an Event that
 * cannot be written is dropped (events are best effort upstream too).
 */
public final class EventRecorder implements AutoCloseable {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    private static final int MAX_REMEMBERED = 4096;

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final LinkedBlockingQueue<Runnable> writes = new LinkedBlockingQueue<>(10_000);
    private final Map<String, Event> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private final Thread writer;

    public EventRecorder(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
        this.writer = Thread.ofVirtual().name("events-" + component).start(this::drain);
    }

    public void normal(HasMetadata regarding, String reason, String message) {
        record(regarding, NORMAL, reason, message);
    }

    public void warning(HasMetadata regarding, String reason, String message) {
        record(regarding, WARNING, reason, message);
    }

    public void record(HasMetadata regarding, String type, String reason, String message) {
        ObjectReference ref = reference(regarding);
        if (!writes.offer(() -> write(ref, type, reason, message))) {
            log.debug("event queue full, dropping {} {} for {}", type, reason, ref.getName());
        }
    }

    static ObjectReference reference(HasMetadata obj) {
        return new ObjectReferenceBuilder().withApiVersion(obj.getApiVersion()).withKind(obj.getKind())
                .withNamespace(obj.getMetadata().getNamespace()).withName(obj.getMetadata().getName())
                .withUid(obj.getMetadata().getUid()).withResourceVersion(obj.getMetadata().getResourceVersion())
                .build();
    }

    private void write(ObjectReference ref, String type, String reason, String message) {
        String namespace = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? "default" : ref.getNamespace();
        String identity = ref.getUid() + "\u0000" + type + "\u0000" + reason + "\u0000" + message;
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Event previous = recent.get(identity);
        try {
            if (previous != null) {
                Event updated = new EventBuilder(previous).withCount(previous.getCount() + 1).withLastTimestamp(now)
                        .build();
                updated.getMetadata().setResourceVersion(null);
                recent.put(identity, client.v1().events().inNamespace(namespace)
                        .withName(previous.getMetadata().getName()).patch(updated));
                return;
            }
            Event event = new EventBuilder()
                    .withNewMetadata().withName(ref.getName() + "." + Long.toHexString(System.nanoTime()
                            + clock.millis() * 1_000_000L)).withNamespace(namespace).endMetadata()
                    .withInvolvedObject(ref).withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent(component).endSource()
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withReportingComponent(component).withReportingInstance("")
                    .build();
            recent.put(identity, client.v1().events().inNamespace(namespace).resource(event).create());
        } catch (RuntimeException e) {
            recent.remove(identity);
            log.debug("cannot record event {} for {}/{}: {}", reason, namespace, ref.getName(), e.toString());
        }
    }

    private void drain() {
        try {
            while (true) {
                writes.take().run();
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
