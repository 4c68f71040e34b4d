package dev.konductor.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.NetworkInterface;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NetworkInterfacesTest {

    /**
     * A veth pair of this test's own (deleting one end deletes both): nothing sends on it. One end
     * gets a documentation address (the JDK lists only interfaces with one), as a /32: no route
     * beyond that address itself.
     */
    private static final String LINK = "knd-nitest0";
    private static final String PEER = "knd-nitest1";

    @Test
    void anInterfaceRemovedAfterTheListingIsNotUp() throws Exception {
        assumeTrue(ip("link", "add", LINK, "type", "veth", "peer", "name", PEER) == 0,
                "skipped: adding a veth pair needs root and ip");
        try {
            for (String end : new String[] {LINK, PEER}) { // no IPv6 link-local: no neighbour discovery
                assertThat(ip("link", "set", end, "addrgenmode", "none")).isZero();
            }
            assertThat(ip("addr", "add", "198.51.100.123/32", "dev", LINK)).isZero();
            assertThat(ip("link", "set", LINK, "up")).isZero();
            assertThat(ip("link", "set", PEER, "up")).isZero(); // else the link has no carrier: not up
            NetworkInterface listed = NetworkInterfaces.list().stream()
                    .filter(nic -> nic.getName().equals(LINK)).findFirst().orElseThrow();
            assertThat(NetworkInterfaces.isUp(listed)).isTrue();

            assertThat(ip("link", "del", LINK)).isZero();

            assertThat(NetworkInterfaces.isUp(listed)).isFalse();
        } finally {
            ip("link", "del", LINK);
        }
    }

    @Test
    void listsLoopback() throws Exception {
        assertThat(NetworkInterfaces.list()).anyMatch(nic -> nic.getName().equals("lo"));
    }

    private static int ip(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException noIp) {
            return -1;
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
