package dev.konductor.kubelet.pods;

import dev.konductor.api.dns.PodDns;
import dev.konductor.api.dns.ResolvConf;
import dev.konductor.kubelet.cri.v1.PodSandboxConfig;
import dev.konductor.kubelet.events.EventRecorder;
import dev.konductor.kubelet.events.KubeletEvents;
import dev.konductor.kubelet.lifecycle.LifecycleHooks;
import dev.konductor.kubelet.prober.ProbeVerdicts;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import dev.konductor.kubelet.runtime.ContainerState;
import dev.konductor.kubelet.runtime.EphemeralContainers;
import dev.konductor.kubelet.runtime.PodAddresses;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.runtime.RuntimeStates;
import dev.konductor.kubelet.runtime.SandboxState;
import dev.konductor.kubelet.status.Waiting;
import dev.konductor.kubelet.volumes.VolumeManager;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what {@link PodActionsPlanner} decides for a pod, one step per call, as upstream's
 * kuberuntime SyncPod: set up (or refresh) its volumes, kill the pod if its sandbox died, create a sandbox, kill the containers
 * the plan names ({@link ContainerKiller}: preStop, grace period), then start the ones it names
 * ({@link ContainerStarter}: image, create, start, postStart), each restart after its
 * CrashLoopBackOff back-off.
 */
public final class PodSyncer {

    private static final Logger log = LoggerFactory.getLogger(PodSyncer.class);
    /** The event that tells a pod's user its containers run without isolation (the process runtime). */
    static final String HOST_PROCESSES = "HostProcesses";

    private final ContainerRuntime runtime;
    private final EventRecorder events;
    private final ProbeVerdicts probes;
    private final RestartBackoff restartBackoff;
    private final RestartBackoff sandboxBackoff;
    private final ContainerKiller killer;
    private final ContainerStarter starter;
    private final ImagePuller images;
    private final Path logRoot;
    private final VolumeManager volumes;
    private final PodDns.Node dns;
    private final Clock clock;

    /** @param dns how this node resolves names, for the pods' resolv.conf */
    public PodSyncer(ContainerRuntime runtime, EventRecorder events, ProbeVerdicts probes, Path logRoot,
                     VolumeManager volumes, ContainerOptions containerOptions, PodDns.Node dns, Clock clock) {
        this.runtime = runtime;
        this.events = events;
        this.probes = probes;
        this.restartBackoff = RestartBackoff.forContainers(clock);
        this.sandboxBackoff = RestartBackoff.forContainers(clock);
        LifecycleHooks hooks = new LifecycleHooks(runtime);
        this.killer = new ContainerKiller(runtime, hooks, events, clock);
        this.images = new ImagePuller(runtime, events, RestartBackoff.forContainers(clock), clock);
        this.starter = new ContainerStarter(runtime, images, hooks, killer, containerOptions, events);
        this.logRoot = logRoot;
        this.volumes = volumes;
        this.dns = dns;
        this.clock = clock;
    }

    public PodRuntimeState observe(String podUid) {
        return RuntimeStates.observe(runtime, podUid);
    }

    /** One step towards the pod's spec from {@code state}, what the runtime had a moment ago. */
    public SyncOutcome sync(Pod pod, PodRuntimeState state) {
        String uid = pod.getMetadata().getUid();
        Optional<Duration> volumesPending = prepareVolumes(pod);
        if (volumesPending.isPresent()) {
            return new SyncOutcome(state, Map.of(), volumesPending);
        }
        PodActions actions = PodActionsPlanner.compute(pod, state, probes);
        if (actions.isNothing()) {
            return new SyncOutcome(state, Map.of(), Optional.empty());
        }
        if (actions.createSandbox()) {
            switch (recreateSandbox(pod, state, actions)) {
                case SandboxCreation.NotYet notYet -> {
                    return new SyncOutcome(state, Map.of(), Optional.of(notYet.retryAfter()));
                }
                // A killed pod's containers changed too; otherwise only the new sandbox is news.
                case SandboxCreation.Created created -> state = actions.killPod() ? observe(uid)
                        : RuntimeStates.withNewSandbox(runtime, state, created.sandboxId());
            }
        }
        SandboxState sandbox = state.latestSandbox().orElseThrow();
        String sandboxId = sandbox.id();
        PodSandboxConfig sandboxConfig = SandboxConfigs.sandbox(pod, sandbox.attempt(), logRoot);
        Map<String, Waiting> waiting = new HashMap<>();
        List<String> podIps = PodAddresses.of(pod, state, dns.nodeIps());
        String podIp = podIps.isEmpty() ? "" : podIps.getFirst();

        List<ContainerKiller.Target> kills = actions.kill().stream()
                .map(k -> new ContainerKiller.Target(k.spec(), k.container(), k.message(), k.gracePeriodSeconds())).toList();
        killer.kill(pod, kills, SandboxConfigs.gracePeriodSeconds(pod), podIp);
        Duration retry = null;
        for (PodActions.Start start : actions.start()) {
            Container container = start.spec();
            Optional<ContainerState> previous = start.previous();
            int restartCount = previous.map(c -> c.restartCount() + 1)
                    .orElseGet(() -> restartCountFromLogs(SandboxConfigs.podLogDirectory(pod, logRoot).resolve(container.getName())));
            if (previous.isPresent() && !previous.get().running() && !previous.get().exited()) {
                // Created but never started (a failed start): replace it under the same count.
                removeQuietly(previous.get().id());
                restartCount = previous.get().restartCount();
            } else if (previous.isPresent()) {
                Optional<Duration> wait = backOff(pod, container, previous.get());
                if (wait.isPresent()) {
                    waiting.put(container.getName(), crashLoop(pod, container));
                    retry = min(retry, wait.get());
                    continue;
                }
            }
            Optional<String> processesOf = EphemeralContainers.target(pod, container.getName())
                    .flatMap(state::latest).filter(ContainerState::running).map(ContainerState::id);
            Optional<ContainerStarter.Failure> failed = starter.start(pod, container, sandboxId, sandboxConfig, podIp, podIps,
                    restartCount, processesOf);
            if (failed.isPresent()) {
                waiting.put(container.getName(), failed.get().waiting());
                retry = min(retry, failed.get().retryAfter().orElse(RestartBackoff.CONTAINER_INITIAL));
            }
        }
        // The sandboxes are as this sync found or made them; the containers are what it changed.
        PodRuntimeState after = RuntimeStates.withCurrentContainers(runtime, state);
        pruneOldContainers(after);
        // As upstream: a container its restart policy does not restart keeps its terminated state
        // (a failed start under restartPolicy Never is its end, StartError), not the start's error.
        waiting.keySet().removeIf(name -> PodActionsPlanner.endedForGood(pod, name, after.latest(name)));
        return new SyncOutcome(after, waiting, Optional.ofNullable(retry));
    }

    /** Sets up (or refreshes) the pod's volumes, recording FailedMount events; empty when the containers may start. */
    private Optional<Duration> prepareVolumes(Pod pod) {
        VolumeManager.Outcome outcome = volumes.prepare(pod);
        outcome.failedMounts().forEach(message -> events.record(pod, null, KubeletEvents.WARNING, "FailedMount", message));
        return outcome.ready() ? Optional.empty() : outcome.retryAfter();
    }

    /** What {@link #recreateSandbox} came to: the new sandbox, or how long to wait before trying again. */
    private sealed interface SandboxCreation {
        record Created(String sandboxId) implements SandboxCreation {
        }

        record NotYet(Duration retryAfter) implements SandboxCreation {
        }
    }

    /** Kills what is left of a dead sandbox and creates a new one; when it cannot (yet), how long to wait. */
    private SandboxCreation recreateSandbox(Pod pod, PodRuntimeState state, PodActions actions) {
        String uid = pod.getMetadata().getUid();
        if (actions.killPod()) {
            events.record(pod, null, KubeletEvents.NORMAL, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
            killer.killPod(pod, state.running(), SandboxConfigs.gracePeriodSeconds(pod), podIp(pod, state));
            state.latestSandbox().ifPresent(s -> runtime.stopPodSandbox(s.id()));
        }
        Optional<Duration> wait = sandboxBackoff.remaining(uid, clock.instant());
        if (wait.isPresent()) {
            return new SandboxCreation.NotYet(wait.get());
        }
        PodSandboxConfig config = SandboxConfigs.sandbox(pod, actions.sandboxAttempt(), logRoot, Optional.of(resolvConf(pod)));
        try {
            Files.createDirectories(Path.of(config.getLogDirectory()));
            PodCgroups.apply(pod);
            String sandboxId = runtime.runPodSandbox(config);
            sandboxBackoff.reset(uid);
            runtime.isolationNotice().ifPresent(notice -> events.record(pod, null, KubeletEvents.NORMAL,
                    HOST_PROCESSES, notice));
            return new SandboxCreation.Created(sandboxId);
        } catch (ContainerRuntime.RuntimeException | IOException e) {
            sandboxBackoff.next(uid, clock.instant());
            events.record(pod, null, KubeletEvents.WARNING, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
            log.warn("cannot create sandbox pod={}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    e.getMessage());
            return new SandboxCreation.NotYet(sandboxBackoff.delay(uid));
        }
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

    /**
     * How long a restart after {@code previous} must still wait, empty if it may go now (then
     * the next one waits twice as long). A container killed by this very sync finished now.
     */
    private Optional<Duration> backOff(Pod pod, Container container, ContainerState previous) {
        String key = backoffKey(pod, container);
        Instant finished = previous.exited() ? previous.finishedAt().orElse(previous.createdAt()) : clock.instant();
        Optional<Duration> wait = restartBackoff.remaining(key, finished);
        if (wait.isEmpty()) {
            restartBackoff.next(key, finished);
        }
        return wait;
    }

    private Waiting crashLoop(Pod pod, Container container) {
        String podText = LifecycleHooks.podText(pod);
        events.record(pod, container.getName(), KubeletEvents.WARNING, "BackOff",
                "Back-off restarting failed container " + container.getName() + " in pod " + podText);
        return new Waiting(Waiting.CRASH_LOOP_BACK_OFF, "back-off " + GoDurations.format(restartBackoff.delay(backoffKey(pod, container)))
                + " restarting failed container=" + container.getName() + " pod=" + podText);
    }

    /**
     * Stops every running container of the pod within the grace period (preStop hooks, then app
     * containers before sidecars); keeps them, and the sandbox, for logs and the final status.
     */
    public PodRuntimeState stopContainers(Pod pod, long gracePeriodSeconds) {
        PodRuntimeState state = observe(pod.getMetadata().getUid());
        killer.killPod(pod, state.running(), gracePeriodSeconds, podIp(pod, state));
        return observe(pod.getMetadata().getUid());
    }

    private String podIp(Pod pod, PodRuntimeState state) {
        return PodAddresses.first(pod, state, dns.nodeIps());
    }

    /** Releases the sandboxes (network, pause process) of a pod whose containers are all done. */
    public void stopSandboxes(PodRuntimeState state) {
        for (SandboxState sandbox : state.sandboxes()) {
            if (sandbox.ready()) {
                runtime.stopPodSandbox(sandbox.id());
            }
        }
    }

    /** Removes everything of the pod from the runtime and the node: containers, sandboxes, cgroups, volumes, logs. */
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
        volumes.tearDown(podUid);
        podLogDirectory.ifPresent(PodSyncer::deleteTree);
        restartBackoff.collectGarbage();
        images.forgetPod(podUid);
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
