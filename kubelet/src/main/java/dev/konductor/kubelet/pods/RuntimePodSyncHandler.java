package dev.konductor.kubelet.pods;

import dev.konductor.client.RawRequests;
import dev.konductor.kubelet.events.EventRecorder;
import dev.konductor.kubelet.events.KubeletEvents;
import dev.konductor.kubelet.prober.ProbeManager;
import dev.konductor.kubelet.runtime.PodRuntimeState;
import dev.konductor.kubelet.status.PodStatuses;
import dev.konductor.kubelet.status.StatusManager;
import dev.konductor.kubelet.status.Waiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stages of a pod's life against the container runtime ({@link PodSyncer}), its probes and
 * the API ({@link StatusManager}), as upstream's Kubelet implements them: a sync computes the
 * status first and never starts a pod that has finished; termination stops the containers, then
 * releases the sandbox and writes the final status; removal clears the node of the pod before
 * its API object is deleted (grace period 0, on the condition that it is still this pod).
 */
public final class RuntimePodSyncHandler implements PodSyncHandler {

    private static final Logger log = LoggerFactory.getLogger(RuntimePodSyncHandler.class);

    private final PodSyncer syncer;
    private final StatusManager statuses;
    private final EventRecorder events;
    /** The statuses of the pods admission refused, until they are removed. */
    private final Map<String, PodStatus> rejections = new ConcurrentHashMap<>();
    private final ProbeManager probes;
    private final RawRequests requests;
    private final Supplier<List<String>> hostIps;
    private final Supplier<String> runtimeName;
    private final Path logRoot;
    private final Clock clock;

    /** @param runtimeName the container runtime's name, as container IDs carry it ({@code containerd}) */
    public RuntimePodSyncHandler(PodSyncer syncer, StatusManager statuses, ProbeManager probes, KubernetesClient client,
                                 EventRecorder events, Supplier<List<String>> hostIps, Supplier<String> runtimeName,
                                 Path logRoot, Clock clock) {
        this.syncer = syncer;
        this.events = events;
        this.statuses = statuses;
        this.probes = probes;
        this.requests = new RawRequests(client);
        this.hostIps = hostIps;
        this.runtimeName = runtimeName;
        this.logRoot = logRoot;
        this.clock = clock;
    }

    @Override
    public SyncResult syncPod(Pod pod) {
        PodRuntimeState state = syncer.observe(uid(pod));
        PodStatus before = status(pod, state, Map.of(), false);
        if (PodStatuses.isTerminal(before.getPhase())) {
            // It finished, perhaps before this kubelet started and with its containers gone from
            // the runtime since: what the API says of it is enough never to run it again. A pod
            // admission refused (before this kubelet's restart) keeps its rejection as it is.
            PodStatus api = pod.getStatus();
            if (api != null && api.getReason() != null
                    && (api.getContainerStatuses() == null || api.getContainerStatuses().isEmpty())) {
                rejections.putIfAbsent(uid(pod), api);
            } else {
                statuses.set(pod, before);
            }
            return new Finished();
        }
        if (state.sandboxes().isEmpty()) {
            // nothing of it runs here yet: upstream's admission, before anything starts
            Optional<PodAdmission.Rejection> rejected = PodAdmission.check(pod);
            if (rejected.isPresent()) {
                reject(pod, before, rejected.get());
                return new Finished();
            }
        }
        SyncOutcome outcome = syncer.sync(pod, state);
        probes.sync(pod, outcome.state());
        PodStatus after = status(pod, outcome.state(), outcome.waiting(), false);
        statuses.set(pod, after);
        return PodStatuses.isTerminal(after.getPhase()) ? new Finished() : new Running(outcome.retryAfter());
    }

    /** As upstream's rejectPod: a Warning event, and the pod Failed with the reason, never started. */
    private void reject(Pod pod, PodStatus status, PodAdmission.Rejection rejection) {
        log.info("rejected pod pod={}/{} reason={} message={}", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), rejection.reason(), rejection.message());
        events.record(pod, null, KubeletEvents.WARNING, rejection.reason(), rejection.message());
        // as upstream's: the phase, reason and message, the conditions the pod had (the scheduler's)
        PodStatus api = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        PodStatus rejected = new PodStatusBuilder().withPhase("Failed").withReason(rejection.reason())
                .withMessage("Pod was rejected: " + rejection.message()).withConditions(api.getConditions())
                .withQosClass(status.getQosClass()).withStartTime(status.getStartTime()).build();
        rejections.put(uid(pod), rejected);
        statuses.set(pod, rejected);
    }

    @Override
    public void killPod(Pod pod, long gracePeriodSeconds) {
        probes.stopLivenessAndStartup(uid(pod));
        syncer.stopContainers(pod, gracePeriodSeconds);
    }

    @Override
    public void refreshTerminatingStatus(Pod pod) {
        PodRuntimeState state = syncer.observe(uid(pod));
        probes.updateState(pod, state);
        statuses.set(pod, stoppedStatus(pod, state));
    }

    /** A stopped pod's status: what its containers came to, or the rejection of one that never ran. */
    private PodStatus stoppedStatus(Pod pod, PodRuntimeState state) {
        PodStatus rejection = rejections.get(uid(pod));
        return rejection != null ? rejection : status(pod, state, Map.of(), true);
    }

    @Override
    public void syncTerminatedPod(Pod pod, boolean apiDeleted) {
        String uid = uid(pod);
        syncer.stopSandboxes(syncer.observe(uid));
        probes.removePod(uid);
        if (!apiDeleted) {
            statuses.writeNow(pod, stoppedStatus(pod, syncer.observe(uid)));
        }
    }

    @Override
    public void removePod(Pod pod, boolean apiDeleted) {
        String uid = uid(pod);
        syncer.removePod(uid, Optional.of(SandboxConfigs.podLogDirectory(pod, logRoot)));
        statuses.forget(uid);
        rejections.remove(uid);
        if (!apiDeleted) {
            deleteApiObject(pod);
        }
        log.info("removed pod pod={}/{} uid={}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid);
    }

    @Override
    public void removeOrphan(String podUid) {
        log.info("removing orphaned pod uid={}", podUid);
        syncer.removePod(podUid, Optional.empty());
    }

    private PodStatus status(Pod pod, PodRuntimeState state, Map<String, Waiting> waiting, boolean terminating) {
        return PodStatuses.build(pod, state, waiting, hostIps.get(), clock.instant(), terminating, probes, runtimeName.get());
    }

    /**
     * As upstream's status manager once nothing of the pod is left: DELETE with grace period 0
     * and a UID precondition, so that a new pod of the same name (created after a forced
     * deletion of this one) is never the one removed. A 404 or 409 means this pod is gone already;
     * any other failure throws, and the worker tries again.
     */
    private void deleteApiObject(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String body = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
                + "\"preconditions\":{\"uid\":\"" + uid(pod) + "\"}}";
        RawRequests.Response response;
        try {
            response = requests.send("DELETE", RawRequests.corePath(namespace, "pods", name), RawRequests.JSON, body);
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot delete pod " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
        int code = response.code();
        if (code >= 300 && code != 404 && code != 409) {
            throw new IllegalStateException("cannot delete pod " + namespace + "/" + name + ": " + code + " "
                    + response.body());
        }
    }

    private static String uid(Pod pod) {
        return pod.getMetadata().getUid();
    }
}
