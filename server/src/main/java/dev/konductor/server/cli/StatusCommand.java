package dev.konductor.server.cli;

import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.local.PidFile;
import dev.konductor.server.local.ReadinessProbe;
import dev.konductor.server.local.StartupWait;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code konductor status}: whether a server runs for the data directory, where, and whether it
 * is ready. Exit status 0 when one runs, 3 when none does (as {@code systemctl status}), so
 * scripts can test it.
 */
@Command(name = "status", description = "Show whether the cluster runs, its URL and kubeconfig.",
        mixinStandardHelpOptions = true)
public final class StatusCommand implements Callable<Integer> {

    static final int NOT_RUNNING = 3;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() {
        DataDir dir = dataDir.dataDir();
        PrintWriter out = spec.commandLine().getOut();
        Optional<ProcessHandle> process = new PidFile(dir.pidFile()).runningProcess();
        Optional<Kubeconfig> kubeconfig = Files.exists(dir.kubeconfig())
                ? Optional.of(Kubeconfig.read(dir.kubeconfig())) : Optional.empty();
        Optional<ReadinessProbe.Result> probed = kubeconfig.map(StatusCommand::probe);
        boolean answering = probed.filter(result -> !(result instanceof ReadinessProbe.Result.Unreachable)).isPresent();

        if (process.isPresent()) {
            out.println("konductor:  running (pid " + process.get().pid() + ")");
        } else if (answering) {
            out.println("konductor:  running (not started by 'konductor up', no pid file)");
        } else {
            out.println("konductor:  not running");
        }
        kubeconfig.ifPresent(config -> out.println("server:     " + config.server()
                + (process.isPresent() || answering ? " (" + StartupWait.describe(probed.orElseThrow()) + ")" : "")));
        out.println("kubeconfig: " + dir.kubeconfig() + (kubeconfig.isPresent() ? "" : " (not written yet)"));
        out.println("data dir:   " + dir.root());
        return process.isPresent() || answering ? 0 : NOT_RUNNING;
    }

    private static ReadinessProbe.Result probe(Kubeconfig kubeconfig) {
        try (ReadinessProbe probe = new ReadinessProbe(kubeconfig, PROBE_TIMEOUT)) {
            return probe.check();
        }
    }
}
