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
import java.util.Optional;

/**
 * Starts {@code konductor server} as a background process that outlives the command that
 * started it, in a new session (so closing the terminal does not send it SIGHUP), with its output
 * appended to {@code DIR/server.log}. Through the {@code konductor} launcher when this JVM was
 * started by it ({@code konductor.home}), so the server gets the JVM options the launcher gives
 * a server (its own AOT cache); otherwise the same JVM, JVM options and classpath as this one.
 */
public final class ServerLauncher {

    private static final String SETSID = "/usr/bin/setsid";
    private static final List<String> ARCHIVE_OPTIONS = List.of("-XX:SharedArchiveFile=", "-XX:+AutoCreateSharedArchive",
            "-XX:AOTCache=", "-XX:AOTCacheOutput=", "-XX:AOTMode=");

    private final String mainClass;
    private final Optional<Path> launcher;

    /** @param mainClass the class whose {@code main} dispatches {@code server} */
    public ServerLauncher(String mainClass) {
        this(mainClass, Optional.ofNullable(System.getProperty("konductor.home"))
                .map(home -> Path.of(home, "konductor")).filter(Files::isExecutable));
    }

    ServerLauncher(String mainClass, Optional<Path> launcher) {
        this.mainClass = mainClass;
        this.launcher = launcher;
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
        // setsid execs in place (this child is not a process-group leader), and so does the
        // launcher, so the PID we record is the server's own.
        if (Files.isExecutable(Path.of(SETSID))) {
            command.add(SETSID);
        }
        if (launcher.isPresent()) {
            command.add(launcher.get().toString());
        } else {
            command.add(javaExecutable());
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(option -> ARCHIVE_OPTIONS.stream().noneMatch(option::startsWith))
                    .forEach(command::add);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass);
        }
        command.add("server");
        command.addAll(serverArguments);
        return command;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
