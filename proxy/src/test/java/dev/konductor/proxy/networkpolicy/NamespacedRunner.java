package dev.konductor.proxy.networkpolicy;

import dev.konductor.proxy.nftables.CommandRunner;
import dev.konductor.proxy.nftables.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every command inside a network namespace ({@code ip netns exec}), so that a test's node
 * (its nftables tables, links, routes and sysctls) is a namespace of its own, never the host.
 */
final class NamespacedRunner implements CommandRunner {

    private final String netns;
    private final CommandRunner host = new ProcessCommandRunner(Duration.ofSeconds(30));

    NamespacedRunner(String netns) {
        this.netns = netns;
    }

    @Override
    public Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", netns, executable(command.getFirst())));
        wrapped.addAll(command.subList(1, command.size()));
        return host.run(wrapped, stdin);
    }

    /** {@code ip netns exec} searches the test's PATH, which may lack the sbin directories. */
    private static String executable(String name) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (!name.contains("/") && Files.isExecutable(Path.of(dir, name))) {
                return dir + "/" + name;
            }
        }
        return name;
    }
}
