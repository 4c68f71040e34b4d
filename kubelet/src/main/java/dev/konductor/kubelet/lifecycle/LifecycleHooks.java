package dev.konductor.kubelet.lifecycle;

import dev.konductor.kubelet.prober.Handlers;
import dev.konductor.kubelet.prober.HttpGet;
import dev.konductor.kubelet.prober.ProbeResult;
import dev.konductor.kubelet.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs a container's postStart and preStop hooks ({@code exec}, {@code httpGet}, {@code sleep}),
 * as upstream's handler runner: exec through the runtime, httpGet to the pod's IP unless the
 * hook names a host. A failure comes back as the message upstream puts in its
 * {@code FailedPostStartHook}/{@code FailedPreStopHook} events.
 */
public final class LifecycleHooks {

    /** Upstream runs postStart without a time limit; we stop waiting after this. */
    public static final Duration POST_START_LIMIT = Duration.ofMinutes(2);

    private final ContainerRuntime runtime;

    public LifecycleHooks(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Runs {@code hook} within {@code timeout}; empty on success, else the failure's message. */
    public Optional<String> run(Pod pod, Container container, String containerId, String podIp, LifecycleHandler hook,
                                Duration timeout) {
        if (hook.getExec() != null) {
            return exec(pod, container, containerId, hook.getExec().getCommand() == null ? List.of() : hook.getExec().getCommand(),
                    timeout);
        }
        if (hook.getHttpGet() != null) {
            ProbeResult result;
            try {
                result = HttpGet.probe(Handlers.httpRequest(hook.getHttpGet(), container, podIp, timeout));
            } catch (Handlers.UnknownPortException e) {
                result = ProbeResult.error(e.getMessage());
            }
            if (result.kind() != ProbeResult.Kind.FAILURE && result.kind() != ProbeResult.Kind.ERROR) {
                return Optional.empty();
            }
            return Optional.of("HTTP lifecycle hook (" + hook.getHttpGet().getPath() + ") for Container \"" + container.getName()
                    + "\" in Pod \"" + podText(pod) + "\" failed - error: " + result.output());
        }
        if (hook.getSleep() != null && hook.getSleep().getSeconds() != null) {
            Duration sleep = Duration.ofSeconds(hook.getSleep().getSeconds());
            try {
                Thread.sleep(sleep.compareTo(timeout) < 0 ? sleep : timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
        return Optional.of("Lifecycle hook for Container \"" + container.getName() + "\" in Pod \"" + podText(pod)
                + "\" has no handler (exec, httpGet or sleep)");
    }

    private Optional<String> exec(Pod pod, Container container, String containerId, List<String> command, Duration timeout) {
        String error;
        String output = "";
        try {
            ContainerRuntime.ExecResult result = runtime.execSync(containerId, command, timeout);
            if (result.exitCode() == 0) {
                return Optional.empty();
            }
            String stderr = new String(result.stderr(), StandardCharsets.UTF_8);
            output = new String(result.stdout(), StandardCharsets.UTF_8) + stderr;
            error = "command '" + String.join(" ", command) + "' exited with " + result.exitCode() + ": " + stderr;
        } catch (ContainerRuntime.ExecTimeoutException e) {
            error = "command '" + String.join(" ", command) + "' timed out after " + timeout.toSeconds() + "s";
        } catch (ContainerRuntime.RuntimeException e) {
            error = e.getMessage();
        }
        return Optional.of("Exec lifecycle hook ([" + String.join(" ", command) + "]) for Container \"" + container.getName()
                + "\" in Pod \"" + podText(pod) + "\" failed - error: " + error + ", message: \"" + output + "\"");
    }

    /** How upstream names a pod in messages: {@code name_namespace(uid)}. */
    public static String podText(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
    }
}
