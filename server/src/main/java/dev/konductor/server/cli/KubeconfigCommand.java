package dev.konductor.server.cli;

import dev.konductor.server.datadir.DataDir;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code konductor kubeconfig}: the admin kubeconfig's path, for {@code KUBECONFIG=$(konductor kubeconfig)}. */
@Command(name = "kubeconfig", description = "Print the path of the admin kubeconfig.", mixinStandardHelpOptions = true)
public final class KubeconfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() {
        DataDir dir = dataDir.dataDir();
        spec.commandLine().getOut().println(dir.kubeconfig());
        if (!Files.exists(dir.kubeconfig())) {
            spec.commandLine().getErr().println("konductor: " + dir.kubeconfig()
                    + " does not exist yet; 'konductor up' writes it");
            return 1;
        }
        return 0;
    }
}
