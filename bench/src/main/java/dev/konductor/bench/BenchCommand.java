package dev.konductor.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code konductor bench}: cluster-level load generators. The launcher runs this class (from the
 * bench module, which depends on the server and so cannot be one of its subcommands) for
 * {@code ./konductor bench ...}.
 */
@Command(name = "konductor bench", description = "Benchmarks against a real server started for the purpose.",
        mixinStandardHelpOptions = true, subcommands = {SchedulerBench.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required, e.g. 'scheduler'");
    }
}
