package dev.konductor.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An address of the test's own for a node on the host's network (its {@code --advertise-address}
 * and so its InternalIP), on a link of its own: the node's cluster DNS binds port 53 there, so a
 * node of another test or cluster on this machine, on the host's main address, is not in its way.
 * The link is an {@code ifb} device (this kernel may lack the dummy driver), which drops anything
 * sent out through it; packets to a local address never are. {@link #close()} deletes the link,
 * and the constructor one a failed earlier run left.
 */
final class NodeAddressLink implements AutoCloseable {

    private final String link;
    private final String address;

    /** @param link at most 15 characters; @param address an IPv4 address nothing else on the machine uses */
    NodeAddressLink(String link, String address) throws IOException, InterruptedException {
        this.link = link;
        this.address = address;
        ip(true, "link", "del", link);
        ip(false, "link", "add", link, "type", "ifb");
        ip(false, "addr", "add", address + "/32", "dev", link);
        ip(false, "link", "set", link, "up");
    }

    String address() {
        return address;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ip(true, "link", "del", link);
    }

    private static void ip(boolean mayFail, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (p.exitValue() != 0 && !mayFail) {
            throw new IOException(command + " failed: " + out.strip());
        }
    }
}
