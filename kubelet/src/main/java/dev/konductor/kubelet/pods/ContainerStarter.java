package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.cri.v1.ImageSpec;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.events.EventRecorder;
import dev.konductor.kubelet.events.KubeletEvents;
import dev.konductor.kubelet.lifecycle.LifecycleHooks;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.status.Waiting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one container as upstream's startContainer: the image (pulled per its policy), create,
 * start, then the postStart hook; the container only counts as started once the hook is done.
 * A failing hook is a {@code FailedPostStartHook} event and the container is killed (and later
 * restarted under the pod's restart policy, as any exited container).
 */
final class ContainerStarter {

    private static final Logger log = LoggerFactory.getLogger(ContainerStarter.class);

    /** Why a start did not happen, and when to try again if sooner than the resync. */
    record Failure(Waiting waiting, Optional<Duration> retryAfter) {
    }

    private final ContainerRuntime runtime;
    private final ImagePuller images;
    private final LifecycleHooks hooks;
    private final ContainerKiller killer;
    private final ContainerOptions options;
    private final EventRecorder events;

    ContainerStarter(ContainerRuntime runtime, ImagePuller images, LifecycleHooks hooks, ContainerKiller killer,
                     ContainerOptions options, EventRecorder events) {
        this.runtime = runtime;
        this.images = images;
        this.hooks = hooks;
        this.killer = killer;
        this.options = options;
        this.events = events;
    }

    /** Starts {@code container}; {@code processesOf}: the container whose process namespace it joins, if any. */
    Optional<Failure> start(Pod pod, Container container, String sandboxId, PodSandboxConfig sandboxConfig, String podIp,
                            List<String> podIps, int restartCount, Optional<String> processesOf) {
        ImagePuller.Result image = images.ensure(pod, container, sandboxConfig);
        if (image instanceof ImagePuller.Failed failed) {
            return Optional.of(new Failure(failed.waiting(), failed.retryAfter()));
        }
        Optional<String> nonRoot = SecurityContexts.nonRootViolation(pod, container,
                () -> runtime.imageStatus(ImageSpec.newBuilder().setImage(container.getImage()).build()));
        if (nonRoot.isPresent()) {
            events.record(pod, container.getName(), KubeletEvents.WARNING, "Failed", "Error: " + nonRoot.get());
            return Optional.of(new Failure(new Waiting(Waiting.CREATE_CONTAINER_CONFIG_ERROR, nonRoot.get()),
                    Optional.empty()));
        }
        RunContainerOptions runOptions;
        switch (options.generate(pod, container, restartCount, podIps)) {
            case ContainerOptions.ConfigError error -> {
                events.record(pod, container.getName(), KubeletEvents.WARNING, "Failed", "Error: " + error.message());
                return Optional.of(new Failure(new Waiting(Waiting.CREATE_CONTAINER_CONFIG_ERROR, error.message()),
                        Optional.empty()));
            }
            case ContainerOptions.Generated generated -> {
                generated.warnings().forEach(w -> events.record(pod, null, KubeletEvents.WARNING, w.reason(), w.message()));
                runOptions = generated.options();
            }
        }
        String id;
        try {
            id = runtime.createContainer(sandboxId, SandboxConfigs.container(pod, container, restartCount, runOptions, processesOf),
                    sandboxConfig);
        } catch (ContainerRuntime.RuntimeException e) {
            events.record(pod, container.getName(), KubeletEvents.WARNING, "Failed", "Error: " + e.getMessage());
            return Optional.of(new Failure(new Waiting(Waiting.CREATE_CONTAINER_ERROR, e.getMessage()), Optional.empty()));
        }
        events.record(pod, container.getName(), KubeletEvents.NORMAL, "Created", "Created container: " + container.getName());
        try {
            runtime.startContainer(id);
        } catch (ContainerRuntime.RuntimeException e) {
            events.record(pod, container.getName(), KubeletEvents.WARNING, "Failed", "Error: " + e.getMessage());
            return Optional.of(new Failure(new Waiting(Waiting.RUN_CONTAINER_ERROR, e.getMessage()), Optional.empty()));
        }
        events.record(pod, container.getName(), KubeletEvents.NORMAL, "Started", "Started container " + container.getName());
        log.info("started container pod={}/{} container={} restartCount={}", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), container.getName(), restartCount);
        if (container.getLifecycle() != null && container.getLifecycle().getPostStart() != null) {
            Optional<String> failure = hooks.run(pod, container, id, podIp, container.getLifecycle().getPostStart(),
                    LifecycleHooks.POST_START_LIMIT);
            if (failure.isPresent()) {
                events.record(pod, container.getName(), KubeletEvents.WARNING, "FailedPostStartHook", failure.get());
                ContainerState started = new ContainerState(id, container.getName(), sandboxId, restartCount, "",
                        ContainerState.Phase.RUNNING, java.time.Instant.EPOCH, Optional.empty(), Optional.empty(), 0, "", "",
                        "", "", "");
                killer.kill(pod, List.of(new ContainerKiller.Target(container, started, "FailedPostStartHook")),
                        SandboxConfigs.gracePeriodSeconds(pod), podIp);
                return Optional.of(new Failure(new Waiting("PostStartHookError", failure.get()), Optional.empty()));
            }
        }
        return Optional.empty();
    }
}
