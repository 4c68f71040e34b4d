package dev.konductor.scheduler.plugins.volumebinding;

import dev.konductor.api.storage.VolumeBindings;
import dev.konductor.api.storage.VolumeMatching;
import dev.konductor.scheduler.framework.CycleState;
import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.NodeSelectorTerms;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Snapshot;
import dev.konductor.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's VolumeBinding plugin: a pod runs only where its volumes can be. Claims of Immediate
 * classes must be bound before the pod is considered at all; bound volumes restrict the pod to
 * the nodes their node affinity admits; claims of WaitForFirstConsumer classes are bound as part
 * of placing the pod: on each node, to an available volume that node can use, or else by having
 * the class's provisioner make one there. Reserve keeps chosen volumes from the next pods;
 * PreBind writes the decisions (a volume's claimRef, a claim's selected node) and waits until
 * the persistent volume controller and the provisioner have bound every claim.
 */
public final class VolumeBinding implements Plugin.PreFilter, Plugin.Filter, Plugin.Reserve, Plugin.PreBind {

    public static final String NAME = "VolumeBinding";
    static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
    static final String NODE_CONFLICT = "node(s) had volume node affinity conflict";
    static final String BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
    static final String PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
    /** Upstream's default bindTimeoutSeconds. */
    public static final Duration DEFAULT_BIND_TIMEOUT = Duration.ofSeconds(600);

    private final VolumeState volumes;
    private final VolumeWriter writer;
    private final Duration bindTimeout;
    private final Duration pollInterval;
    /** Volumes chosen for pods between Reserve and the end of their PreBind: volume name to claim key. */
    private final Map<String, String> assumed = new ConcurrentHashMap<>();

    public VolumeBinding(VolumeState volumes, VolumeWriter writer, Duration bindTimeout, Duration pollInterval) {
        this.volumes = volumes;
        this.writer = writer;
        this.bindTimeout = bindTimeout;
        this.pollInterval = pollInterval;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
        List<String> claimNames = claimNames(pod);
        if (claimNames.isEmpty()) {
            return Status.SKIP;
        }
        List<PersistentVolumeClaim> bound = new ArrayList<>();
        List<PersistentVolumeClaim> toBind = new ArrayList<>();
        boolean unboundImmediate = false;
        for (String name : claimNames) {
            Optional<PersistentVolumeClaim> claim = volumes.claim(pod.namespace(), name);
            if (claim.isEmpty()) {
                return Status.unresolvable("persistentvolumeclaim \"" + name + "\" not found");
            }
            if (claim.get().getMetadata().getDeletionTimestamp() != null) {
                return Status.unresolvable("persistentvolumeclaim \"" + name + "\" is being deleted");
            }
            String volumeName = claim.get().getSpec().getVolumeName();
            if (volumeName != null && !volumeName.isEmpty()) {
                bound.add(claim.get());
            } else if (delaysBinding(claim.get())) {
                toBind.add(claim.get());
            } else {
                unboundImmediate = true;
            }
        }
        if (unboundImmediate) {
            return Status.unresolvable(UNBOUND_IMMEDIATE);
        }
        state.write(NAME, new PodVolumes(bound, toBind));
        return Status.SUCCESS;
    }

    private boolean delaysBinding(PersistentVolumeClaim claim) {
        String className = VolumeBindings.claimClass(claim);
        return !className.isEmpty() && volumes.storageClass(className)
                .map(c -> VolumeBindings.WAIT_FOR_FIRST_CONSUMER.equals(c.getVolumeBindingMode())).orElse(false);
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        PodVolumes podVolumes = state.read(NAME);
        for (PersistentVolumeClaim claim : podVolumes.bound) {
            Optional<PersistentVolume> volume = volumes.volume(claim.getSpec().getVolumeName());
            if (volume.isEmpty()) {
                return Status.unresolvable(PV_NOT_EXIST);
            }
            if (!admits(volume.get(), node.node())) {
                return Status.unresolvable(NODE_CONFLICT);
            }
        }
        Map<String, PersistentVolume> existing = new HashMap<>();
        List<PersistentVolumeClaim> provision = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (PersistentVolumeClaim claim : podVolumes.toBind) {
            String key = key(claim);
            assumed.forEach((volume, claimKey) -> {
                if (!claimKey.equals(key)) {
                    taken.add(volume);
                }
            });
            Optional<PersistentVolume> match = VolumeMatching.bestMatch(claim, volumes.volumes(),
                    volume -> admits(volume, node.node()), true, taken);
            if (match.isPresent()) {
                existing.put(key, match.get());
                taken.add(match.get().getMetadata().getName());
            } else if (canProvision(claim, node.node())) {
                provision.add(claim);
            } else {
                return Status.unresolvable(BIND_CONFLICT);
            }
        }
        podVolumes.byNode.put(node.name(), new PodVolumes.NodeBinding(existing, provision));
        return Status.SUCCESS;
    }

    /** Whether the volume's node affinity admits the node (no affinity: any node). */
    static boolean admits(PersistentVolume volume, Node node) {
        var affinity = volume.getSpec().getNodeAffinity();
        if (affinity == null || affinity.getRequired() == null) {
            return true;
        }
        return NodeSelectorTerms.anyMatches(affinity.getRequired().getNodeSelectorTerms(), node);
    }

    /** The class has a provisioner, and its allowed topologies (if any) include the node. */
    private boolean canProvision(PersistentVolumeClaim claim, Node node) {
        Optional<StorageClass> storageClass = volumes.storageClass(VolumeBindings.claimClass(claim));
        if (storageClass.isEmpty() || VolumeBindings.NO_PROVISIONER.equals(storageClass.get().getProvisioner())) {
            return false;
        }
        var topologies = storageClass.get().getAllowedTopologies();
        if (topologies == null || topologies.isEmpty()) {
            return true;
        }
        Map<String, String> labels = NodeSelectorTerms.labels(node);
        return topologies.stream().anyMatch(term -> term.getMatchLabelExpressions().stream()
                .allMatch(r -> r.getValues().contains(labels.get(r.getKey()))));
    }

    @Override
    public Status reserve(CycleState state, PodInfo pod, String node) {
        binding(state, node).ifPresent(b -> b.existing().forEach((claim, volume) ->
                assumed.put(volume.getMetadata().getName(), claim)));
        return Status.SUCCESS;
    }

    @Override
    public void unreserve(CycleState state, PodInfo pod, String node) {
        binding(state, node).ifPresent(b -> b.existing().values().forEach(v -> assumed.remove(v.getMetadata().getName())));
    }

    @Override
    public Status preBind(CycleState state, PodInfo pod, String node) {
        Optional<PodVolumes.NodeBinding> binding = binding(state, node);
        if (binding.isEmpty() || binding.get().isEmpty()) {
            return Status.SUCCESS;
        }
        List<PersistentVolumeClaim> claims = new ArrayList<>(binding.get().provision());
        try {
            for (Map.Entry<String, PersistentVolume> e : binding.get().existing().entrySet()) {
                PersistentVolumeClaim claim = claimOf(e.getKey(), pod, state);
                writer.reserve(e.getValue(), claim);
                claims.add(claim);
            }
            for (PersistentVolumeClaim claim : binding.get().provision()) {
                writer.selectNode(claim, node);
            }
            return awaitBound(claims, binding.get().provision());
        } catch (RuntimeException e) {
            return Status.error("binding volumes: " + e.getMessage());
        } finally {
            unreserve(state, pod, node);
        }
    }

    private Optional<PodVolumes.NodeBinding> binding(CycleState state, String node) {
        PodVolumes podVolumes = state.read(NAME);
        return podVolumes == null ? Optional.empty() : Optional.ofNullable(podVolumes.byNode.get(node));
    }

    private static PersistentVolumeClaim claimOf(String key, PodInfo pod, CycleState state) {
        PodVolumes podVolumes = state.read(NAME);
        return podVolumes.toBind.stream().filter(c -> key(c).equals(key)).findFirst()
                .orElseThrow(() -> new IllegalStateException("claim " + key + " of pod " + pod.key() + " vanished"));
    }

    /**
     * Polls the informers until every claim is bound to a volume reserved for it. A provisioner
     * that cannot serve the node takes the selected-node annotation away again; that counts only
     * once the informer has shown the annotation, which it may not have yet right after the write.
     */
    private Status awaitBound(List<PersistentVolumeClaim> claims, List<PersistentVolumeClaim> provisioned) {
        long deadline = System.nanoTime() + bindTimeout.toNanos();
        Set<String> seenSelected = new HashSet<>();
        while (true) {
            boolean allBound = true;
            for (PersistentVolumeClaim wanted : claims) {
                Optional<PersistentVolumeClaim> claim = volumes.claim(wanted.getMetadata().getNamespace(),
                        wanted.getMetadata().getName());
                if (claim.isEmpty() || !claim.get().getMetadata().getUid().equals(wanted.getMetadata().getUid())) {
                    return Status.error("binding volumes: claim " + key(wanted) + " was deleted");
                }
                if (provisioned.contains(wanted) && !isBound(claim.get())) {
                    if (VolumeBindings.hasAnnotation(claim.get(), VolumeBindings.SELECTED_NODE)) {
                        seenSelected.add(key(wanted));
                    } else if (seenSelected.contains(key(wanted))) {
                        return Status.error("binding volumes: selectedNode annotation reset for PVC \""
                                + wanted.getMetadata().getName() + "\"");
                    }
                }
                allBound &= isBound(claim.get());
            }
            if (allBound) {
                return Status.SUCCESS;
            }
            if (System.nanoTime() > deadline) {
                return Status.error("binding volumes: timed out waiting for the condition");
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Status.error("binding volumes: interrupted");
            }
        }
    }

    private boolean isBound(PersistentVolumeClaim claim) {
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName == null || volumeName.isEmpty() || !VolumeBindings.hasAnnotation(claim, VolumeBindings.BIND_COMPLETED)) {
            return false;
        }
        return volumes.volume(volumeName).map(v -> v.getSpec().getClaimRef() != null
                && claim.getMetadata().getUid().equals(v.getSpec().getClaimRef().getUid())).orElse(false);
    }

    private static List<String> claimNames(PodInfo pod) {
        List<String> names = new ArrayList<>();
        List<Volume> podVolumes = pod.pod().getSpec().getVolumes();
        if (podVolumes != null) {
            for (Volume v : podVolumes) {
                if (v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName() != null) {
                    names.add(v.getPersistentVolumeClaim().getClaimName());
                }
            }
        }
        return names;
    }

    private static String key(PersistentVolumeClaim claim) {
        return claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName();
    }
}
