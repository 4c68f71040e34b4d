package dev.konductor.kubelet.volumes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a pod's files live on the node, laid out as upstream's kubelet does under its root:
 * {@code pods/<uid>/volumes/<plugin>/<volume>} (volume contents),
 * {@code pods/<uid>/plugins/<plugin>/<volume>} (the plugins' own bookkeeping),
 * {@code pods/<uid>/containers/<container>/<instance>} (termination message files) and
 * {@code pods/<uid>/etc-hosts}. The container logs share the {@code pods} directory under
 * {@code NAMESPACE_NAME_UID} names; a pod directory is a UID, which has no underscore.
 */
public final class PodDirectories {

    private final Path pods;

    /** @param pods the kubelet's {@code <root>/pods} */
    public PodDirectories(Path pods) {
        this.pods = pods.toAbsolutePath().normalize();
    }

    public Path pod(String uid) {
        if (uid == null || uid.isEmpty() || uid.contains("/") || uid.contains("_") || uid.startsWith(".")) {
            throw new IllegalArgumentException("not a pod UID: " + uid);
        }
        return pods.resolve(uid);
    }

    /** {@code plugin} as upstream escapes it for disk: {@code kubernetes.io~empty-dir}. */
    public Path volume(String uid, String plugin, String volume) {
        return pod(uid).resolve("volumes").resolve(plugin).resolve(volume);
    }

    public Path plugin(String uid, String plugin, String volume) {
        return pod(uid).resolve("plugins").resolve(plugin).resolve(volume);
    }

    public Path etcHosts(String uid) {
        return pod(uid).resolve("etc-hosts");
    }

    public Path containerDirectory(String uid, String container) {
        return pod(uid).resolve("containers").resolve(container);
    }

    /**
     * The host file behind a container instance's {@code terminationMessagePath}: what the
     * container wrote there as its termination message.
     */
    public Path terminationMessageFile(String uid, String container, int restartCount) {
        return containerDirectory(uid, container).resolve(Integer.toString(restartCount));
    }

    /** UIDs of the pods that have a directory here. */
    public List<String> podsOnDisk() throws IOException {
        List<String> uids = new ArrayList<>();
        if (!Files.isDirectory(pods)) {
            return uids;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(pods)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.contains("_") && !name.startsWith(".") && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    uids.add(name);
                }
            }
        }
        return uids;
    }
}
