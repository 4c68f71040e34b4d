package dev.konductor.kubelet.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.testing.ManualClock;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A bad image as {@code kubectl describe pod} shows it: ErrImagePull, then ImagePullBackOff, pulls 10 s, then 20 s apart. */
class ImagePullerTest {

    private static final String IMAGE = "konductor.local/nope:1";
    private static final String NOT_FOUND = "rpc error: code = NotFound desc = konductor.local/nope:1: not found";

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger pulls = new AtomicInteger();
    private final List<String> events = new ArrayList<>();
    private final ImagePuller puller = new ImagePuller(FakeRuntime.answering(Map.of(
            "imageStatus", args -> Optional.empty(),
            "pullImage", args -> {
                pulls.incrementAndGet();
                throw new ContainerRuntime.RuntimeException(NOT_FOUND, "konductor.local/nope:1: not found", true, null);
            })),
            (pod, container, type, reason, message) -> events.add(reason + ": " + message),
            RestartBackoff.forContainers(clock), clock);

    private final Pod pod = new PodBuilder().withNewMetadata().withName("bad").withNamespace("default").withUid("u").endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage(IMAGE).endContainer().endSpec().build();
    private final Container container = pod.getSpec().getContainers().getFirst();

    private ImagePuller.Failed ensure() {
        return (ImagePuller.Failed) puller.ensure(pod, container, PodSandboxConfig.getDefaultInstance());
    }

    @Test
    void aFailedPullIsErrImagePullAndTheNextWaitsTenSecondsFromIt() {
        ImagePuller.Failed first = ensure();
        assertThat(first.waiting().reason()).isEqualTo("ErrImagePull");
        assertThat(first.waiting().message()).isEqualTo(NOT_FOUND);
        assertThat(first.retryAfter()).hasValue(Duration.ofSeconds(10));
        assertThat(events).containsExactly("Pulling: Pulling image \"" + IMAGE + "\"",
                "Failed: Failed to pull image \"" + IMAGE + "\": " + NOT_FOUND, "Failed: Error: ErrImagePull");

        clock.advance(Duration.ofSeconds(4));
        ImagePuller.Failed backingOff = ensure();
        assertThat(backingOff.waiting().reason()).isEqualTo("ImagePullBackOff");
        assertThat(backingOff.waiting().message())
                .isEqualTo("Back-off pulling image \"" + IMAGE + "\": ErrImagePull: " + NOT_FOUND);
        assertThat(backingOff.retryAfter()).hasValue(Duration.ofSeconds(6));
        assertThat(events.subList(3, 5)).containsExactly("BackOff: Back-off pulling image \"" + IMAGE + "\"",
                "Failed: Error: ImagePullBackOff");
        assertThat(pulls).hasValue(1);

        clock.advance(Duration.ofSeconds(6));
        assertThat(ensure().retryAfter()).as("pulled again, and failed: twice as long").hasValue(Duration.ofSeconds(20));
        assertThat(pulls).hasValue(2);
        clock.advance(Duration.ofSeconds(19));
        assertThat(ensure().waiting().reason()).isEqualTo("ImagePullBackOff");
        clock.advance(Duration.ofSeconds(1));
        ensure();
        assertThat(pulls).hasValue(3);
    }
}
