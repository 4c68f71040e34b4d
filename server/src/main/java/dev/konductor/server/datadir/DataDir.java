package dev.konductor.server.datadir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The layout of a cluster's data directory ({@code ~/.konductor} by default). Every command that
 * works on a cluster ({@code server}, {@code up}, {@code down}, {@code status}) finds its files
 * here, so this record is the one place that names them.
 *
 * <pre>
 * DIR/tls/             cluster CA, API serving certificate, admin client certificate
 * DIR/token            node-join token (its secret)
 * DIR/node-token       the same token with the cluster CA's hash, for `konductor agent --token-file`
 * DIR/kubeconfig.yaml  admin kubeconfig (on an agent: the node's, system:node:NAME)
 * DIR/bootstrap-kubeconfig.yaml  on an agent: the node token's, which gets it its certificate
 * DIR/kubeconfigs/     the components' own kubeconfigs (controller-manager, scheduler, node, kube-proxy)
 * DIR/server.pid       PID of the server `up` started in the background
 * DIR/server.log       that server's output
 * DIR/server.lock      held by the running server so two servers never share a directory
 * DIR/storage/         the local node's provisioned volumes (unless --storage-dir says otherwise)
 * </pre>
 */
public record DataDir(Path root) {

    public DataDir {
        root = root.toAbsolutePath().normalize();
    }

    /** Creates the directory (and {@code tls/}, {@code kubeconfigs/}) readable by the owner only, if missing. */
    public static DataDir create(Path root) {
        DataDir dir = new DataDir(root);
        createPrivateDirectory(dir.root());
        createPrivateDirectory(dir.tlsDir());
        createPrivateDirectory(dir.root().resolve("kubeconfigs"));
        return dir;
    }

    /** The cluster's images (an OCI image layout), served by its registry. */
    public Path images() {
        return root.resolve("images");
    }

    /** Where the default StorageClass's volumes live on the local node. */
    public Path storage() {
        return root.resolve("storage");
    }

    public Path tlsDir() {
        return root.resolve("tls");
    }

    public Path token() {
        return root.resolve("token");
    }

    /** The join token in its full form (CA hash and secret), the file agents are given. */
    public Path nodeToken() {
        return root.resolve("node-token");
    }

    public Path kubeconfig() {
        return root.resolve("kubeconfig.yaml");
    }

    /** On an agent, the kubeconfig presenting the node token (upstream's {@code --bootstrap-kubeconfig}). */
    public Path bootstrapKubeconfig() {
        return root.resolve("bootstrap-kubeconfig.yaml");
    }

    /** The kubeconfig of one of the server's own components, by its {@code ClientIdentity} file name. */
    public Path componentKubeconfig(String component) {
        return root.resolve("kubeconfigs").resolve(component + ".yaml");
    }

    public Path pidFile() {
        return root.resolve("server.pid");
    }

    public Path serverLog() {
        return root.resolve("server.log");
    }

    public Path lockFile() {
        return root.resolve("server.lock");
    }

    private static void createPrivateDirectory(Path directory) {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            // Keys live below: the directory is private from the moment it exists.
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + directory + ": " + e.getMessage(), e);
        }
    }
}
