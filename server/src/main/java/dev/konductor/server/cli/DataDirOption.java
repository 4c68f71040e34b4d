package dev.konductor.server.cli;

import dev.konductor.server.datadir.DataDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, shared by every command that works on a cluster. */
public final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.konductor",
            description = "Where the cluster keeps its certificates, kubeconfig, logs and data (default: ${DEFAULT-VALUE}).")
    Path path;

    /** The directory's layout, without creating it. */
    public DataDir dataDir() {
        return new DataDir(path);
    }
}
