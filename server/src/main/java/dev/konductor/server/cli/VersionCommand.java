package dev.konductor.server.cli;

import dev.konductor.server.KonductorVersion;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code konductor version}: this build and the JVM it runs on ({@code kubectl version} shows the Kubernetes API version). */
@Command(name = "version", description = "Print version information.", mixinStandardHelpOptions = true)
public final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("konductor: " + KonductorVersion.current().version());
        out.println("java:      " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        return 0;
    }
}
