package dev.konductor.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Reading the host's resolvers (no query leaves the machine: the only one sent goes to a loopback fake). */
class UpstreamForwarderTest {

    @TempDir
    Path dir;

    @Test
    void takesTheNameserversOfResolvConfButNotItself() throws IOException {
        Path file = Files.writeString(dir.resolve("resolv.conf"), """
                search corp.example
                nameserver 192.0.2.53
                nameserver 127.0.0.1
                nameserver not-an-address
                nameserver 2001:db8::53
                """);
        UpstreamForwarder forwarder = UpstreamForwarder.fromResolvConf(file,
                List.of(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 53)));
        assertThat(forwarder.servers()).containsExactly(
                new InetSocketAddress(InetAddress.ofLiteral("192.0.2.53"), 53),
                new InetSocketAddress(InetAddress.ofLiteral("2001:db8::53"), 53));
    }

    @Test
    void withoutNameserversUsesTheLocalResolverAsTheCLibraryDoes() throws IOException {
        UpstreamForwarder forwarder = UpstreamForwarder.fromResolvConf(dir.resolve("missing"), List.of());
        assertThat(forwarder.servers()).containsExactly(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
        assertThatThrownBy(() -> new UpstreamForwarder(List.of(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forwardsToItsServer() throws IOException {
        try (FakeUpstream upstream = new FakeUpstream()) {
            UpstreamForwarder forwarder = new UpstreamForwarder(List.of(upstream.address()), Duration.ofSeconds(2));
            Message answer = forwarder.forward(Message.newQuery(Record.newRecord(FakeUpstream.KNOWN, Type.A, DClass.IN)));
            assertThat(answer.getSection(Section.ANSWER)).map(Record::rdataToString).containsExactly(FakeUpstream.KNOWN_ADDRESS);
            assertThat(upstream.asked).containsExactly("example.com. A");
        }
    }
}
