package dev.konductor.server.cli;

import dev.konductor.server.Main;
import dev.konductor.server.control.NodeRuntime;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.local.LogTail;
import dev.konductor.server.local.PidFile;
import dev.konductor.server.local.ServerLauncher;
import dev.konductor.server.local.StartupWait;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code konductor up}: starts {@code konductor server} in the background for a data directory
 * (unless one already runs there), waits until it is ready, and prints the {@code export
 * KUBECONFIG=...} line on stdout, so {@code eval "$(konductor up)"} works. Progress goes to stderr.
 */
@Command(name = "up", description = "Start a local cluster in the background and wait until it is ready.",
        mixinStandardHelpOptions = true)
public final class UpCommand implements Callable<Integer> {

    private static final int LOG_LINES_ON_FAILURE = 30;
    private static final Duration STOP_AFTER_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--port", defaultValue = "6443", description = "HTTPS port of the API server (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--runtime", defaultValue = "auto",
            description = "Node agent runtime: cri (real containers), process (containers as host processes, no root"
                    + " needed), sim (simulated pods), none (no node), or auto: cri where this machine can run it, else"
                    + " process, else sim (default: ${DEFAULT-VALUE}).")
    NodeRuntime runtime;

    @Option(names = "--kubelet-port", defaultValue = "10250",
            description = "HTTPS port of the local node's kubelet with --runtime cri or process (default: ${DEFAULT-VALUE}).")
    int kubeletPort;

    @Option(names = "--datastore", defaultValue = "sqlite", converter = OptionConverters.Datastore.class,
            description = "sqlite or etcd://host:port[,host:port...] (default: ${DEFAULT-VALUE}).")
    String datastore;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the server to be ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "up needs a fixed --port between 1 and 65535: " + port);
        }
        DataDir dir = DataDir.create(dataDir.path);
        PidFile pidFile = new PidFile(dir.pidFile());
        Optional<ProcessHandle> running = pidFile.runningProcess();
        if (running.isPresent()) {
            return alreadyRunning(dir, running.get());
        }
        pidFile.delete(); // stale: its process is gone
        long logStart = LogTail.size(dir.serverLog());
        err().printf("konductor: starting server (data dir %s, log %s)%n", dir.root(), dir.serverLog());
        err().flush();
        Process server = new ServerLauncher(Main.class.getName()).launch(dir, serverArguments(dir));
        pidFile.write(server.pid());
        StartupWait.Outcome outcome = new StartupWait(dir.kubeconfig(), port, runtime != NodeRuntime.NONE).await(server.toHandle(), timeout());
        return switch (outcome) {
            case StartupWait.Outcome.Ready(Duration elapsed) -> {
                err().printf("konductor: ready in %.1fs (pid %d, https://127.0.0.1:%d)%n",
                        elapsed.toMillis() / 1000.0, server.pid(), port);
                yield printExport(dir);
            }
            case StartupWait.Outcome.Exited() -> {
                pidFile.delete();
                err().printf("konductor: the server exited with status %d before it was ready%n", server.waitFor());
                LogTail.lastLineStartingWith(dir.serverLog(), logStart, "konductor: ").ifPresent(err()::println);
                yield printLogTail(dir, logStart);
            }
            case StartupWait.Outcome.TimedOut(String lastSeen) -> {
                err().printf("konductor: the server was not ready after %ds (%s); stopping it%n", timeoutSeconds, lastSeen);
                stop(server);
                pidFile.delete();
                yield printLogTail(dir, logStart);
            }
        };
    }

    private int alreadyRunning(DataDir dir, ProcessHandle process) throws InterruptedException {
        // Wait on the port its kubeconfig names: it may have been started with another --port.
        int runningPort = Files.exists(dir.kubeconfig()) ? Kubeconfig.read(dir.kubeconfig()).server().getPort() : port;
        StartupWait.Outcome outcome = new StartupWait(dir.kubeconfig(), runningPort, runtime != NodeRuntime.NONE).await(process, timeout());
        if (outcome instanceof StartupWait.Outcome.Ready) {
            err().printf("konductor: already running (pid %d, https://127.0.0.1:%d)%n", process.pid(), runningPort);
            return printExport(dir);
        }
        err().printf("konductor: a server is running for %s (pid %d) but is not ready: %s%n"
                        + "  see %s, or restart it with 'konductor down' then 'konductor up'%n",
                dir.root(), process.pid(), StartupWait.describe(outcome), dir.serverLog());
        return 1;
    }

    private List<String> serverArguments(DataDir dir) {
        return List.of("--data-dir", dir.root().toString(), "--port", Integer.toString(port),
                "--runtime", runtime.toString(), "--datastore", datastore, "--kubelet-port", Integer.toString(kubeletPort));
    }

    private int printExport(DataDir dir) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("export KUBECONFIG=" + dir.kubeconfig());
        out.flush();
        err().println("konductor: then try: kubectl get namespaces");
        if (Files.exists(dir.nodeToken())) {
            // the address the server advertises when not told otherwise
            String address = dev.konductor.server.net.HostAddresses.discover().nodeAddress().getHostAddress();
            err().printf("konductor: join more nodes with: konductor agent --server https://%s:%d --token %s%n"
                    + "  (the token is also in %s)%n", address, port, readToken(dir), dir.nodeToken());
        }
        err().flush();
        return 0;
    }

    private static String readToken(DataDir dir) {
        try {
            return Files.readString(dir.nodeToken()).strip();
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private int printLogTail(DataDir dir, long from) {
        err().println("--- last lines of " + dir.serverLog() + " ---");
        LogTail.lastLines(dir.serverLog(), from, LOG_LINES_ON_FAILURE).forEach(err()::println);
        err().flush();
        return 1;
    }

    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(STOP_AFTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            server.destroyForcibly();
            server.waitFor(STOP_AFTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
