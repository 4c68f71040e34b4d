package dev.konductor.server.cli;

import dev.konductor.server.agent.Agent;
import dev.konductor.server.agent.AgentOptions;
import dev.konductor.server.control.NodeRuntime;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.server.node.IngressPorts;
import dev.konductor.server.pki.NodeToken;
import dev.konductor.server.supervisor.ComponentFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code konductor agent}: joins a server as a worker node (like {@code k3s agent}) and runs it
 * in the foreground until SIGTERM or SIGINT (then every component stops, newest first, leaving
 * nothing on the host) or until a component dies (then exit status 1).
 */
@Command(name = "agent", description = "Join a server as a worker node: kubelet, containerd, pod network, proxy, DNS.",
        mixinStandardHelpOptions = true)
public final class AgentCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", required = true,
            description = "The API server to join, e.g. https://192.0.2.10:6443.")
    URI server;

    static final class TokenSource {
        @Option(names = "--token-file", paramLabel = "FILE",
                description = "A file holding the server's node token (its DATA/node-token).")
        Path file;

        @Option(names = "--token", paramLabel = "TOKEN", description = "The node token itself, K10<sha256>::<id>.<secret>.")
        String value;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    TokenSource token;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.konductor-agent",
            description = "Where the agent keeps its kubeconfig, containerd and kubelet files (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "The Node's name (default: this host's name, lowercased).")
    String nodeName;

    @Option(names = "--node-ip", paramLabel = "IP", converter = OptionConverters.IpAddress.class,
            description = "The node's InternalIP (default: the address of the interface holding the default route).")
    InetAddress nodeIp;

    @Option(names = "--runtime", defaultValue = "cri",
            description = "cri (real containers) or sim (simulated pods) (default: ${DEFAULT-VALUE}).")
    NodeRuntime runtime;

    @Option(names = "--kubelet-port", defaultValue = "10250",
            description = "HTTPS port of the kubelet; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int kubeletPort;

    @Option(names = "--ingress-http-port", paramLabel = "PORT",
            description = "HTTP port of the node's Ingress controller (default: 80 as root, else 8080).")
    Integer ingressHttpPort;

    @Option(names = "--ingress-https-port", paramLabel = "PORT",
            description = "HTTPS port of the node's Ingress controller; -1 for none (default: 443 as root, else 8443).")
    Integer ingressHttpsPort;

    /** The validated options; also what tests check the parsing against. */
    AgentOptions options() {
        HostAddresses host = HostAddresses.discover();
        String name = nodeName != null ? nodeName : host.hostname().toLowerCase(Locale.ROOT);
        try {
            return new AgentOptions(server, NodeToken.parse(tokenText()), new DataDir(dataDir), name,
                    Optional.ofNullable(nodeIp), runtime.resolve().runtime(), kubeletPort,
                    IngressPorts.of(ingressHttpPort, ingressHttpsPort));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private String tokenText() {
        if (token.value != null) {
            return token.value;
        }
        try {
            return Files.readString(token.file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + token.file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        AgentOptions options = options();
        log.info("starting konductor agent server={} node={} runtime={} dataDir={} token={}", options.server(),
                options.nodeName(), options.runtime(), options.dataDir().root(), options.token());
        DataDir.create(options.dataDir().root());
        try (Agent agent = new Agent(options, HostAddresses.discover(), Clock.systemUTC())) {
            Thread shutdown = Thread.ofPlatform().name("shutdown").unstarted(() -> {
                log.info("shutting down");
                agent.close();
            });
            Runtime.getRuntime().addShutdownHook(shutdown);
            try {
                if (!agent.start()) {
                    return 0; // told to stop while starting
                }
                log.info("konductor agent ready node={} server={}", options.nodeName(), options.server());
                Optional<ComponentFailure> failure = agent.awaitTermination();
                return failure.map(this::fail).orElse(0);
            } catch (ComponentFailure failure) {
                return fail(failure);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdown);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the hook stops the agent itself
                }
            }
        }
    }

    private int fail(ComponentFailure failure) {
        spec.commandLine().getErr().println("konductor: " + failure.getMessage());
        spec.commandLine().getErr().flush();
        return 1;
    }
}
