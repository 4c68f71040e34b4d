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
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * core/v1 Events from the kubelet ({@code source.component=kubelet}, {@code source.host=NODE}),
 * about a pod or one of its containers ({@code fieldPath: spec.containers{NAME}}). A repeat of
 * the same reason and message about the same object within ten minutes bumps the count of the
 * existing event instead of creating another, as upstream's event correlator does.
 */
public final class KubeletEvents implements EventRecorder {

    private static final Logger log = LoggerFactory.getLogger(KubeletEvents.class);
    private static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
    private static final int REMEMBERED = 4096;

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

    public KubeletEvents(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
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

    public void record(ObjectReference involved, String type, String reason, String message) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
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
