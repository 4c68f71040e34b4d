package dev.konductor.kubelet.pods;

import dev.konductor.api.dns.PodDns;
import dev.konductor.api.dns.ResolvConf;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.events.KubeletEvents;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.runtime.RuntimeStates;
import dev.konductor.kubelet.runtime.SandboxState;
import dev.konductor.kubelet.status.Waiting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a pod's sandbox and containers in the runtime in line with its spec, one step per
 * call, as upstream's kuberuntime SyncPod: a sandbox if none is ready (a dead one takes its
 * containers with it), then each container that is missing, or exited and due a restart under
 * the restart policy and its back-off (CrashLoopBackOff), pulled, created and started; a
 * running container whose spec changed is restarted. Stopping honours the grace period
 * (the runtime sends the stop signal, waits, then kills).
 */
public final class PodSyncer {

    private static final Logger log = LoggerFactory.getLogger(PodSyncer.class);

    private final ContainerRuntime runtime;
    private final KubeletEvents events;
    private final RestartBackoff restartBackoff;
    private final RestartBackoff sandboxBackoff;
    private final ImagePuller images;
    private final Path logRoot;
    private final PodDns.Node dns;
    private final Clock clock;

    /** A syncer whose pods get the host's resolver (no cluster DNS). */
    public PodSyncer(ContainerRuntime runtime, KubeletEvents events, Path logRoot, Clock clock) {
        this(runtime, events, logRoot, new PodDns.Node(List.of(), "", Optional.empty(), List.of()), clock);
    }

    /** @param dns how this node resolves names, for the pods' resolv.conf */
    public PodSyncer(ContainerRuntime runtime, KubeletEvents events, Path logRoot, PodDns.Node dns, Clock clock) {
        this.runtime = runtime;
        this.events = events;
        this.restartBackoff = RestartBackoff.forContainers(clock);
        this.sandboxBackoff = RestartBackoff.forContainers(clock);
        this.images = new ImagePuller(runtime, events, RestartBackoff.forContainers(clock), clock);
        this.logRoot = logRoot;
        this.dns = dns;
        this.clock = clock;
    }

    /** The pod's resolv.conf; what had to be cut or changed is told in Warning events, as upstream. */
    private ResolvConf resolvConf(Pod pod) {
        PodDns.Result result = PodDns.forPod(pod, dns);
        for (PodDns.Warning warning : result.warnings()) {
            if (warning.subject() == PodDns.Subject.POD) {
                events.record(pod, null, KubeletEvents.WARNING, warning.reason(), warning.message());
            }
        }
        return result.resolvConf();
    }

    public PodRuntimeState observe(String podUid) {
        return RuntimeStates.observe(runtime, podUid);
    }

    public SyncOutcome sync(Pod pod) {
        String uid = pod.getMetadata().getUid();
        String restartPolicy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
        PodRuntimeState state = observe(uid);
        Map<String, Waiting> waiting = new HashMap<>();
        Optional<SandboxState> sandbox = state.latestSandbox();
        String sandboxId;
        PodSandboxConfig sandboxConfig;
        if (sandbox.isPresent() && sandbox.get().ready()) {
            sandboxId = sandbox.get().id();
            sandboxConfig = SandboxConfigs.sandbox(pod, sandbox.get().attempt(), logRoot);
        } else {
            if (sandbox.isPresent()) {
                if (restartPolicy.equals("Never") && !state.containers().isEmpty()) {
                    return new SyncOutcome(state, waiting, Optional.empty()); // it ran once; it is over
                }
                events.record(pod, null, KubeletEvents.NORMAL, "SandboxChanged",
                        "Pod sandbox changed, it will be killed and re-created.");
                stopContainers(pod, state.running(), SandboxConfigs.gracePeriodSeconds(pod), null);
                runtime.stopPodSandbox(sandbox.get().id());
            }
            int attempt = sandbox.map(s -> s.attempt() + 1).orElse(0);
            Optional<Duration> wait = sandboxBackoff.remaining(uid, clock.instant());
            if (wait.isPresent()) {
                return new SyncOutcome(state, waiting, wait);
            }
            sandboxConfig = SandboxConfigs.sandbox(pod, attempt, logRoot, Optional.of(resolvConf(pod)));
            try {
                Files.createDirectories(Path.of(sandboxConfig.getLogDirectory()));
                sandboxId = runtime.runPodSandbox(sandboxConfig);
                sandboxBackoff.reset(uid);
            } catch (ContainerRuntime.RuntimeException | IOException e) {
                sandboxBackoff.next(uid, clock.instant());
                events.record(pod, null, KubeletEvents.WARNING, "FailedCreatePodSandBox",
                        "Failed to create pod sandbox: " + e.getMessage());
                log.warn("cannot create sandbox pod={}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                        e.getMessage());
                return new SyncOutcome(state, waiting, Optional.of(sandboxBackoff.delay(uid)));
            }
            state = observe(uid);
        }

        Duration retry = null;
        for (Container container : pod.getSpec().getContainers()) {
            Optional<ContainerState> latest = state.latest(container.getName());
            int restartCount = latest.map(c -> c.restartCount() + 1)
                    .orElseGet(() -> restartCountFromLogs(SandboxConfigs.podLogDirectory(pod, logRoot).resolve(container.getName())));
            if (latest.isPresent() && latest.get().running()) {
                if (latest.get().hash().equals(SandboxConfigs.hash(container))) {
                    continue;
                }
                stopContainers(pod, List.of(latest.get()), SandboxConfigs.gracePeriodSeconds(pod),
                        "Container " + container.getName() + " definition changed, will be restarted");
            } else if (latest.isPresent() && latest.get().exited()) {
                ContainerState exited = latest.get();
                if (!shouldRestart(restartPolicy, exited.exitCode())) {
                    continue;
                }
                String key = backoffKey(pod, container);
                var finished = exited.finishedAt().orElse(exited.createdAt());
                Optional<Duration> wait = restartBackoff.remaining(key, finished);
                if (wait.isPresent()) {
                    String podText = pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace()
                            + "(" + pod.getMetadata().getUid() + ")";
                    waiting.put(container.getName(), new Waiting(Waiting.CRASH_LOOP_BACK_OFF, "back-off "
                            + GoDurations.format(restartBackoff.delay(key)) + " restarting failed container="
                            + container.getName() + " pod=" + podText));
                    events.record(pod, container.getName(), KubeletEvents.WARNING, "BackOff",
                            "Back-off restarting failed container " + container.getName() + " in pod " + podText);
                    retry = min(retry, wait.get());
                    continue;
                }
                restartBackoff.next(key, finished);
            } else if (latest.isPresent()) {
                // Created but never started (a failed start): replace it under the same count.
                removeQuietly(latest.get().id());
                restartCount = latest.get().restartCount();
            }
            Optional<StartFailure> failed = start(pod, container, sandboxId, sandboxConfig, restartCount);
            if (failed.isPresent()) {
                waiting.put(container.getName(), failed.get().waiting());
                retry = min(retry, failed.get().retryAfter().orElse(RestartBackoff.CONTAINER_INITIAL));
            }
        }
        PodRuntimeState after = observe(uid);
        pruneOldContainers(after);
        return new SyncOutcome(after, waiting, Optional.ofNullable(retry));
    }

    private record StartFailure(Waiting waiting, Optional<Duration> retryAfter) {
    }

    private Optional<StartFailure> start(Pod pod, Container container, String sandboxId, PodSandboxConfig sandboxConfig,
                                         int restartCount) {
        ImagePuller.Result image = images.ensure(pod, container, sandboxConfig);
        if (image instanceof ImagePuller.Failed failed) {
            return Optional.of(new StartFailure(failed.waiting(), failed.retryAfter()));
        }
        String id;
        try {
            id = runtime.createContainer(sandboxId, SandboxConfigs.container(pod, container, restartCount), sandboxConfig);
        } catch (ContainerRuntime.RuntimeException e) {
            events.record(pod, container.getName(), KubeletEvents.WARNING, "Failed", "Error: " + e.getMessage());
            return Optional.of(new StartFailure(new Waiting(Waiting.CREATE_CONTAINER_ERROR, e.getMessage()), Optional.empty()));
        }
        events.record(pod, container.getName(), KubeletEvents.NORMAL, "Created", "Created container: " + container.getName());
        try {
            runtime.startContainer(id);
        } catch (ContainerRuntime.RuntimeException e) {
            events.record(pod, container.getName(), KubeletEvents.WARNING, "Failed", "Error: " + e.getMessage());
            return Optional.of(new StartFailure(new Waiting(Waiting.RUN_CONTAINER_ERROR, e.getMessage()), Optional.empty()));
        }
        events.record(pod, container.getName(), KubeletEvents.NORMAL, "Started", "Started container " + container.getName());
        log.info("started container pod={}/{} container={} restartCount={}", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), container.getName(), restartCount);
        return Optional.empty();
    }

    /** Stops every container of the pod (grace period honoured) and then its sandboxes; keeps them for logs. */
    public PodRuntimeState stopPod(Pod pod, long gracePeriodSeconds) {
        PodRuntimeState state = observe(pod.getMetadata().getUid());
        stopContainers(pod, state.running(), gracePeriodSeconds, null);
        stopSandboxes(state);
        return observe(pod.getMetadata().getUid());
    }

    /** Releases the sandboxes (network, pause process) of a pod whose containers are all done. */
    public void stopSandboxes(PodRuntimeState state) {
        for (SandboxState sandbox : state.sandboxes()) {
            if (sandbox.ready()) {
                runtime.stopPodSandbox(sandbox.id());
            }
        }
    }

    /** Removes everything of the pod from the runtime and the node: containers, sandboxes, cgroups, logs. */
    public void removePod(String podUid, Optional<Path> podLogDirectory) {
        PodRuntimeState state = observe(podUid);
        for (SandboxState sandbox : state.sandboxes()) {
            runtime.stopPodSandbox(sandbox.id());
            runtime.removePodSandbox(sandbox.id());
        }
        for (ContainerState container : observe(podUid).containers()) {
            removeQuietly(container.id());
        }
        PodCgroups.remove(podUid);
        podLogDirectory.ifPresent(PodSyncer::deleteTree);
        restartBackoff.collectGarbage();
    }

    /** Stops containers in parallel, each with the grace period; a Killing event for each. */
    private void stopContainers(Pod pod, List<ContainerState> containers, long gracePeriodSeconds, String message) {
        if (containers.isEmpty()) {
            return;
        }
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ContainerState c : containers) {
                parallel.submit(() -> {
                    if (pod != null) {
                        events.record(pod, c.name(), KubeletEvents.NORMAL, "Killing",
                                message != null ? message : "Stopping container " + c.name());
                    }
                    try {
                        runtime.stopContainer(c.id(), gracePeriodSeconds);
                    } catch (ContainerRuntime.RuntimeException e) {
                        if (!e.notFound()) {
                            log.warn("cannot stop container id={} name={}: {}", c.id(), c.name(), e.getMessage());
                        }
                    }
                });
            }
        }
    }

    /** Keeps the current and the previous container of each name (for {@code logs --previous}); removes older ones. */
    private void pruneOldContainers(PodRuntimeState state) {
        Map<String, List<ContainerState>> byName = new HashMap<>();
        for (ContainerState c : state.containers()) {
            byName.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(c);
        }
        for (List<ContainerState> same : byName.values()) {
            same.sort(Comparator.comparing(ContainerState::createdAt).reversed());
            same.stream().skip(2).filter(ContainerState::exited).forEach(c -> removeQuietly(c.id()));
        }
    }

    private void removeQuietly(String containerId) {
        try {
            runtime.removeContainer(containerId);
        } catch (ContainerRuntime.RuntimeException e) {
            if (!e.notFound()) {
                log.warn("cannot remove container id={}: {}", containerId, e.getMessage());
            }
        }
    }

    /**
     * With no container of that name in the runtime (containerd's state was wiped, e.g. by a
     * reboot), the count goes on from the newest {@code N.log} in the container's log directory,
     * as upstream's kubelet does: logs are never overwritten and RESTARTS does not go back to 0.
     */
    static int restartCountFromLogs(Path containerLogDirectory) {
        if (!Files.isDirectory(containerLogDirectory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(containerLogDirectory)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{1,9}\\.log"))
                    .mapToInt(n -> Integer.parseInt(n.substring(0, n.length() - 4)) + 1).max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    static boolean shouldRestart(String restartPolicy, int exitCode) {
        return switch (restartPolicy) {
            case "Never" -> false;
            case "OnFailure" -> exitCode != 0;
            default -> true;
        };
    }

    static String backoffKey(Pod pod, Container container) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + "/" + pod.getMetadata().getUid()
                + "/" + container.getName() + "/" + SandboxConfigs.hash(container);
    }

    private static Duration min(Duration a, Duration b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.debug("cannot delete {}", p);
                }
            });
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
