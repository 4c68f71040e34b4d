package dev.konductor.server.cli;

import dev.konductor.server.KonductorVersion;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code konductor}: one binary, several roles (as k3s). Each subcommand is a class in this
 * package. {@code bench} (load generators) lives in the bench module, which depends on this one;
 * the launcher runs it.
 */
@Command(name = "konductor",
        description = "Kubernetes, rebuilt in Java.",
        mixinStandardHelpOptions = true,
        versionProvider = KonductorCommand.VersionProvider.class,
        subcommands = {
                ServerCommand.class,
                AgentCommand.class,
                UpCommand.class,
                DownCommand.class,
                StatusCommand.class,
                SimCommand.class,
                KubeconfigCommand.class,
                ImageCommand.class,
                VersionCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class KonductorCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** The command line as {@code Main} runs it: enum values in any case, clean error messages. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new KonductorCommand()));
    }

    static CommandLine configure(CommandLine commandLine) {
        return commandLine
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(KonductorCommand::handleFailure);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * Failures whose message says what went wrong (a bad file, a port in use) are printed as one
     * line; anything else is a bug and keeps its stack trace.
     */
    private static int handleFailure(Exception failure, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (failure instanceof IllegalStateException || failure instanceof IllegalArgumentException
                || failure instanceof UncheckedIOException) {
            err.println("konductor: " + failure.getMessage());
        } else {
            failure.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"konductor " + KonductorVersion.current().version()};
        }
    }
}
