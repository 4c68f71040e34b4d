package dev.konductor.kubelet.volumes;

import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeDevice;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volumes of the pods on this node (upstream's volume manager, without its separate loop:
 * the pod's worker calls {@link #prepare} on each sync, before the sandbox and containers).
 * Every volume a container mounts is set up once; those whose content follows API objects or
 * the pod are set up again on every sync, which refreshes them. A volume that cannot be set up
 * yet keeps the pod from starting (FailedMount), tried again with a growing delay; one that
 * was set up and fails to refresh keeps its last content. {@link #tearDown} unmounts and deletes
 * all a pod put on the node, by exact path.
 */
public final class VolumeManager {

    private static final Logger log = LoggerFactory.getLogger(VolumeManager.class);
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration MAX_RETRY = Duration.ofSeconds(122);

    /** A set-up volume: where it is on the host, and whether containers must get it read-only. */
    public record MountedVolume(Path hostPath, boolean readOnly) {
    }

    /**
     * What {@link #prepare} found.
     *
     * @param ready        every volume the containers mount is set up
     * @param failedMounts messages for FailedMount events, in upstream's words
     * @param retryAfter   when to try again, when not ready
     */
    public record Outcome(boolean ready, List<String> failedMounts, Optional<Duration> retryAfter) {
        public Outcome {
            failedMounts = List.copyOf(failedMounts);
        }
    }

    private final VolumeHost host;
    private final Map<String, Map<String, MountedVolume>> mounted = new ConcurrentHashMap<>();
    private final Map<String, Duration> retries = new ConcurrentHashMap<>();

    public VolumeManager(VolumeHost host) {
        this.host = host;
    }

    public PodDirectories directories() {
        return host.dirs();
    }

    /** Sets up (or refreshes) the volumes the pod's containers mount. Only the pod's worker calls it. */
    public Outcome prepare(Pod pod) {
        String uid = pod.getMetadata().getUid();
        try {
            makePodDirectories(uid);
        } catch (IOException e) {
            return notReady(uid, List.of("Unable to attach or mount volumes: cannot create the pod's directory: " + e.getMessage()));
        }
        Map<String, MountedVolume> done = mounted.computeIfAbsent(uid, u -> new ConcurrentHashMap<>());
        Set<String> used = usedVolumes(pod);
        List<String> failures = new ArrayList<>();
        Set<String> unmounted = new TreeSet<>();
        Set<String> unprocessed = new TreeSet<>();
        List<String> processingErrors = new ArrayList<>();
        for (Volume volume : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
            String name = volume.getName();
            boolean wasMounted = done.containsKey(name);
            if (!used.contains(name) || (wasMounted && !VolumePlugins.followsObjects(volume))) {
                continue;
            }
            switch (VolumePlugins.resolve(pod, volume, host.objects())) {
                case VolumePlugins.Unprocessable why -> {
                    unprocessed.add(name);
                    processingErrors.add(why.message());
                    unmounted.add(name);
                }
                case VolumePlugins.Found found -> {
                    try {
                        Path path = found.volume().setUp(pod, host);
                        applyFsGroup(pod, found.volume(), path);
                        done.put(name, new MountedVolume(path, found.volume().readOnly()));
                    } catch (SetUpException e) {
                        failures.add(e.operation() + " failed for volume \"" + found.volume().name() + "\" : " + e.getMessage());
                        if (!wasMounted) {
                            unmounted.add(name);
                        }
                    }
                }
            }
        }
        if (!processingErrors.isEmpty()) {
            failures.add("Unable to attach or mount volumes: unmounted volumes=" + bracketed(unmounted) + ", unattached volumes="
                    + bracketed(unmounted) + ", failed to process volumes=" + bracketed(unprocessed) + ": "
                    + String.join("; ", processingErrors));
        }
        if (!unmounted.isEmpty()) {
            return notReady(uid, failures);
        }
        retries.remove(uid);
        return new Outcome(true, failures, Optional.empty());
    }

    /** The pod's fsGroup on a volume the node owns (each time it is set up: projections are rewritten). */
    private static void applyFsGroup(Pod pod, PodVolume volume, Path path) throws SetUpException {
        Long fsGroup = pod.getSpec().getSecurityContext() == null ? null : pod.getSpec().getSecurityContext().getFsGroup();
        if (fsGroup == null || !volume.managesOwnership()) {
            return;
        }
        try {
            VolumeOwnership.apply(path, fsGroup, volume.readOnly());
        } catch (IOException e) {
            if (e instanceof FileSystemException denied && "Operation not permitted".equals(denied.getReason())) {
                // a node agent without root runs every container as its own user: no group to give
                log.debug("fsGroup not applied to {}: {}", path, e.getMessage());
                return;
            }
            throw new SetUpException(SetUpException.SET_UP, "cannot give " + path + " the pod's fsGroup " + fsGroup
                    + ": " + e.getMessage(), e);
        }
    }

    /** The volumes set up for a pod, by the pod's name for them. */
    public Map<String, MountedVolume> mounted(String podUid) {
        return Map.copyOf(mounted.getOrDefault(podUid, Map.of()));
    }

    /**
     * Removes all the pod put on the node: its tmpfs mounts, then its directory (never following
     * a symlink, never deleting under a mount that would not go). Returns whether it is all gone.
     */
    public synchronized boolean tearDown(String podUid) {
        mounted.remove(podUid);
        retries.remove(podUid);
        host.tokens().forget(podUid);
        Path dir = host.dirs().pod(podUid);
        if (!Files.exists(dir)) {
            return true;
        }
        try {
            for (Path mountPoint : host.mounter().mountPointsUnder(dir)) {
                host.mounter().unmount(mountPoint);
            }
            List<Path> left = host.mounter().mountPointsUnder(dir);
            if (!left.isEmpty()) {
                log.warn("keeping the directory of pod uid={}: still mounted {}", podUid, left);
                return false;
            }
            AtomicWriter.deleteTree(dir);
            log.info("removed the volumes and directory of pod uid={}", podUid);
            return true;
        } catch (IOException e) {
            log.warn("cannot remove the directory of pod uid={}: {}", podUid, e.getMessage());
            return false;
        }
    }

    /** The pods that have a directory on this node (list them before deciding which are orphans). */
    public List<String> podsOnDisk() {
        try {
            return host.dirs().podsOnDisk();
        } catch (IOException e) {
            log.warn("cannot list the pod directories: {}", e.getMessage());
            return List.of();
        }
    }

    /** Tears down the pods among {@code onDisk} that are not in {@code known} (housekeeping). */
    public void removeOrphans(Collection<String> onDisk, Set<String> known) {
        for (String uid : onDisk) {
            if (!known.contains(uid) && Files.exists(host.dirs().pod(uid))) {
                log.info("removing the volumes of orphaned pod uid={}", uid);
                tearDown(uid);
            }
        }
    }

    /**
     * Unmounts every tmpfs of every pod, keeping the directories: the node is going down with its
     * containers, and memory-backed volumes end as they would with a reboot (set up again when the
     * pods come back).
     */
    public void unmountAll() {
        try {
            for (String uid : host.dirs().podsOnDisk()) {
                for (Path mountPoint : host.mounter().mountPointsUnder(host.dirs().pod(uid))) {
                    host.mounter().unmount(mountPoint);
                }
            }
        } catch (IOException e) {
            log.warn("cannot unmount the pod volumes: {}", e.getMessage());
        }
        mounted.clear();
    }

    /** Names of the volumes some container mounts (or uses as a device); others are not set up, as upstream. */
    static Set<String> usedVolumes(Pod pod) {
        var spec = pod.getSpec();
        Set<String> used = new TreeSet<>();
        Stream.of(spec.getContainers(), spec.getInitContainers()).filter(Objects::nonNull).flatMap(List::stream)
                .forEach(c -> addUsed(used, c.getVolumeMounts(), c.getVolumeDevices()));
        Optional.ofNullable(spec.getEphemeralContainers()).orElse(List.of())
                .forEach((EphemeralContainer c) -> addUsed(used, c.getVolumeMounts(), c.getVolumeDevices()));
        return used;
    }

    private static void addUsed(Set<String> used, List<VolumeMount> mounts, List<VolumeDevice> devices) {
        Optional.ofNullable(mounts).orElse(List.of()).forEach(m -> used.add(m.getName()));
        Optional.ofNullable(devices).orElse(List.of()).forEach(d -> used.add(d.getName()));
    }

    private void makePodDirectories(String uid) throws IOException {
        for (Path dir : List.of(host.dirs().pod(uid), host.dirs().pod(uid).resolve("volumes"), host.dirs().pod(uid).resolve("plugins"))) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
            }
        }
    }

    private Outcome notReady(String uid, List<String> failures) {
        Duration delay = retries.merge(uid, FIRST_RETRY, (old, first) -> old.multipliedBy(2).compareTo(MAX_RETRY) > 0
                ? MAX_RETRY : old.multipliedBy(2));
        return new Outcome(false, failures, Optional.of(delay));
    }

    private static String bracketed(Collection<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
