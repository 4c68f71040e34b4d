package dev.konductor.server.local;

import dev.konductor.server.datadir.DataDir;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code konductor server} as a background process that outlives the command that
 * started it: same JVM, same JVM options, same classpath, in a new session (so closing the
 * terminal does not send it SIGHUP), with its output appended to {@code DIR/server.log}.
 */
public final class ServerLauncher {

    private static final String SETSID = "/usr/bin/setsid";
    private static final String SHARED_ARCHIVE_OPTION = "-XX:SharedArchiveFile=";

    private final String mainClass;

    /** @param mainClass the class whose {@code main} dispatches {@code server} */
    public ServerLauncher(String mainClass) {
        this.mainClass = mainClass;
    }

    public Process launch(DataDir dataDir, List<String> serverArguments) {
        List<String> command = command(serverArguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dataDir.root().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.serverLog().toFile()))
                .redirectErrorStream(true);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    List<String> command(List<String> serverArguments) {
        List<String> command = new ArrayList<>();
        // setsid execs in place (this child is not a process-group leader), so the PID we record
        // is the server's own.
        if (Files.isExecutable(Path.of(SETSID))) {
            command.add(SETSID);
        }
        command.add(javaExecutable());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .map(ServerLauncher::forServer)
                .forEach(command::add);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.add("server");
        command.addAll(serverArguments);
        return command;
    }

    /**
     * The konductor launcher gives each command its own class-data-sharing archive, named after
     * the command; the server started here must map the server's, not that of {@code up}.
     */
    static String forServer(String jvmOption) {
        if (jvmOption.startsWith(SHARED_ARCHIVE_OPTION)) {
            Path archive = Path.of(jvmOption.substring(SHARED_ARCHIVE_OPTION.length()));
            return SHARED_ARCHIVE_OPTION + archive.resolveSibling("server.jsa");
        }
        return jvmOption;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
