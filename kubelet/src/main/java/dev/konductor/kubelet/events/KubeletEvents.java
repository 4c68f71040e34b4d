package dev.konductor.kubelet.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * core/v1 Events from the kubelet ({@code source.component=kubelet}, {@code source.host=NODE}),
 * about a pod or one of its containers ({@code fieldPath: spec.containers{NAME}}). A repeat of
 * the same reason and message about the same object within ten minutes bumps the count of the
 * existing event instead of creating another, as upstream's event correlator does.
 *
 * <p>Recording never waits for the API server: events are queued and written in order by one
 * writer thread, as upstream's event broadcaster does, so a pod's start is not held up by its
 * "Created" and "Started" events. When the queue is full (the API server is unreachable or far
 * behind), further events are dropped, as upstream drops them.
 */
public final class KubeletEvents implements EventRecorder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubeletEvents.class);
    private static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
    private static final int REMEMBERED = 4096;
    /** Upstream's broadcaster queues up to 1000 events. */
    static final int QUEUE_LIMIT = 1000;
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private record Key(String uid, String fieldPath, String reason, String message) {
    }

    private record Seen(String namespace, String name, int count, Instant first, Instant last) {
    }

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final Map<Key, Seen> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Seen> eldest) {
            return size() > REMEMBERED;
        }
    };

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    private final Thread writer;

    public KubeletEvents(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
        this.writer = Thread.ofVirtual().name("kubelet-events").start(this::drain);
    }

    @Override
    public void record(Pod pod, String container, String type, String reason, String message) {
        String fieldPath = container == null ? null : fieldPath(pod, container);
        ObjectReference involved = new ObjectReferenceBuilder()
                .withApiVersion("v1").withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withResourceVersion(pod.getMetadata().getResourceVersion())
                .withFieldPath(fieldPath)
                .build();
        record(involved, type, reason, message);
    }

    /** Queues the event for the writer; returns at once. */
    public void record(ObjectReference involved, String type, String reason, String message) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (!queue.offer(() -> write(involved, type, reason, message, now))) {
            log.debug("event queue full, dropping event reason={} object={}/{}", reason, involved.getNamespace(),
                    involved.getName());
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

    private void write(ObjectReference involved, String type, String reason, String message, Instant now) {
        Key key = new Key(involved.getUid(), involved.getFieldPath(), reason, message);
        Seen previous;
        synchronized (seen) {
            previous = seen.get(key);
        }
        try {
            if (previous != null && Duration.between(previous.last(), now).compareTo(AGGREGATION_WINDOW) < 0) {
                int count = previous.count() + 1;
                // a patch without reading the event first, as upstream's recorder: a node may write
                // events but not read them
                client.v1().events().inNamespace(previous.namespace()).withName(previous.name())
                        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                                "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
                remember(key, new Seen(previous.namespace(), previous.name(), count, previous.first(), now));
                return;
            }
            String namespace = involved.getNamespace() == null ? "default" : involved.getNamespace();
            String name = involved.getName() + "." + uniqueSuffix();
            Event event = new EventBuilder()
                    .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                    .withInvolvedObject(involved)
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent("kubelet").withHost(nodeName).endSource()
                    .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                    .withReportingComponent("kubelet").withReportingInstance(nodeName)
                    .build();
            client.v1().events().inNamespace(namespace).resource(event).create();
            remember(key, new Seen(namespace, name, 1, now, now));
        } catch (KubernetesClientException e) {
            // Events are best effort, as upstream: a failure never stops the pod's work.
            log.debug("cannot record event reason={} object={}/{}: {}", reason, involved.getNamespace(), involved.getName(),
                    e.getMessage());
            synchronized (seen) {
                seen.remove(key);
            }
        }
    }

    /** {@code spec.initContainers{NAME}} for an init container, {@code spec.containers{NAME}} otherwise. */
    static String fieldPath(Pod pod, String container) {
        boolean init = pod.getSpec() != null && pod.getSpec().getInitContainers() != null
                && pod.getSpec().getInitContainers().stream().anyMatch(c -> container.equals(c.getName()));
        return (init ? "spec.initContainers{" : "spec.containers{") + container + "}";
    }

    /** As upstream: the time in nanoseconds, in hex (plus a little randomness against same-instant collisions). */
    private String uniqueSuffix() {
        Instant now = clock.instant();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() + ThreadLocalRandom.current().nextInt(1000);
        return Long.toHexString(nanos);
    }

    private void remember(Key key, Seen value) {
        synchronized (seen) {
            seen.put(key, value);
        }
    }
}
