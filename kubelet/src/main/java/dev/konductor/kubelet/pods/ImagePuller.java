package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.cri.v1.Image;
import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.events.EventRecorder;
import dev.konductor.kubelet.events.KubeletEvents;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.status.Waiting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure a container's image is there, honouring imagePullPolicy as upstream: Always pulls
 * every time (the registry answers with the digest, so an unchanged image costs one manifest
 * request), IfNotPresent pulls only what is missing, Never never pulls. A failed pull is
 * ErrImagePull; the next pull waits 10 s from that failure, doubling up to 5 min (upstream's
 * image back-off, counted from the last attempt), and a sync meanwhile reports ImagePullBackOff
 * with the last pull's error. Events and waiting messages as upstream's image manager words them.
 */
final class ImagePuller {

    /** Either the image is ready, or the container waits for this reason. */
    sealed interface Result {
    }

    record Ready() implements Result {
    }

    record Failed(Waiting waiting, Optional<Duration> retryAfter) implements Result {
    }

    private final ContainerRuntime runtime;
    private final EventRecorder events;
    private final RestartBackoff backoff;
    private final Clock clock;
    /** Per back-off key, the reason and message of the last failed pull (what ImagePullBackOff's message repeats). */
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();

    ImagePuller(ContainerRuntime runtime, EventRecorder events, RestartBackoff backoff, Clock clock) {
        this.runtime = runtime;
        this.events = events;
        this.backoff = backoff;
        this.clock = clock;
    }

    Result ensure(Pod pod, Container container, PodSandboxConfig sandboxConfig) {
        String image = container.getImage();
        Optional<String> substitute = runtime.imageSubstitute(image);
        if (substitute.isPresent()) {
            events.record(pod, container.getName(), KubeletEvents.NORMAL, "Pulled", substitute.get());
            return new Ready();
        }
        ImageSpec spec = ImageSpec.newBuilder().setImage(image).build();
        String policy = pullPolicy(container);
        if (!policy.equals("Always")) {
            Optional<Image> present = runtime.imageStatus(spec);
            if (present.isPresent()) {
                events.record(pod, container.getName(), KubeletEvents.NORMAL, "Pulled",
                        "Container image \"" + image + "\" already present on machine");
                return new Ready();
            }
            if (policy.equals("Never")) {
                String message = "Container image \"" + image + "\" is not present with pull policy of Never";
                events.record(pod, container.getName(), KubeletEvents.WARNING, "ErrImageNeverPull", message);
                return failed(pod, container, new Waiting(Waiting.ERR_IMAGE_NEVER_PULL, message), Optional.empty());
            }
        }
        return pull(pod, container, spec, sandboxConfig);
    }

    /** Pulls the image unless a recent failure still holds it back. */
    private Result pull(Pod pod, Container container, ImageSpec spec, PodSandboxConfig sandboxConfig) {
        String image = spec.getImage();
        String key = pod.getMetadata().getUid() + "_" + image;
        Optional<Duration> wait = backoff.remainingSinceUpdate(key);
        if (wait.isPresent()) {
            String message = "Back-off pulling image \"" + image + "\"";
            events.record(pod, container.getName(), KubeletEvents.NORMAL, "BackOff", message);
            String previous = lastFailure.get(key);
            return failed(pod, container, new Waiting(Waiting.IMAGE_PULL_BACK_OFF,
                    previous == null ? message : message + ": " + previous), wait);
        }
        lastFailure.remove(key);
        events.record(pod, container.getName(), KubeletEvents.NORMAL, "Pulling", "Pulling image \"" + image + "\"");
        long started = System.nanoTime();
        try {
            runtime.pullImage(spec, sandboxConfig);
        } catch (ContainerRuntime.RuntimeException e) {
            backoff.next(key, clock.instant());
            lastFailure.put(key, Waiting.ERR_IMAGE_PULL + ": " + e.getMessage());
            events.record(pod, container.getName(), KubeletEvents.WARNING, "Failed",
                    "Failed to pull image \"" + image + "\": " + e.getMessage());
            return failed(pod, container, new Waiting(Waiting.ERR_IMAGE_PULL, e.getMessage()),
                    Optional.of(backoff.delay(key)));
        }
        backoff.reset(key);
        Duration took = Duration.ofNanos(System.nanoTime() - started).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        long size = runtime.imageStatus(spec).map(Image::getSize).orElse(0L);
        String tookText = GoDurations.format(took);
        events.record(pod, container.getName(), KubeletEvents.NORMAL, "Pulled", "Successfully pulled image \"" + image
                + "\" in " + tookText + " (" + tookText + " including waiting). Image size: " + size + " bytes.");
        return new Ready();
    }

    /** The pod is gone: its pulls' back-offs and errors with it. */
    void forgetPod(String podUid) {
        lastFailure.keySet().removeIf(key -> key.startsWith(podUid + "_"));
        backoff.collectGarbage();
    }

    /** As upstream: every reason a container cannot get its image is also a Failed event, "Error: REASON". */
    private Failed failed(Pod pod, Container container, Waiting waiting, Optional<Duration> retryAfter) {
        events.record(pod, container.getName(), KubeletEvents.WARNING, "Failed", "Error: " + waiting.reason());
        return new Failed(waiting, retryAfter);
    }

    /** The policy, defaulted as the API server defaults it when absent. */
    static String pullPolicy(Container container) {
        if (container.getImagePullPolicy() != null && !container.getImagePullPolicy().isEmpty()) {
            return container.getImagePullPolicy();
        }
        String image = container.getImage();
        int slash = image.lastIndexOf('/');
        String last = image.substring(slash + 1);
        if (last.contains("@")) {
            return "IfNotPresent";
        }
        int colon = last.indexOf(':');
        return colon < 0 || last.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
    }
}
