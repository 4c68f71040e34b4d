package dev.konductor.server;

import dev.konductor.server.cli.KonductorCommand;

/** The {@code konductor} command line; see {@link KonductorCommand} for the subcommands. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(KonductorCommand.commandLine().execute(args));
    }
}
