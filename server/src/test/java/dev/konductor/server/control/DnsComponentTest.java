package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.proxy.dns.DnsSettings;
import dev.konductor.proxy.dns.Forwarder;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.store.Stores;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The DNS component beside a real control plane, reaching it through the admin kubeconfig. */
class DnsComponentTest {

    @TempDir
    Path dir;

    @Test
    void resolvesTheBootstrapServicesOfTheServerItRunsWith() throws Exception {
        ServerOptions options = new ServerOptions(DataDir.create(dir), Optional.of(InetAddress.getLoopbackAddress()),
                0, "sqlite", NodeRuntime.NONE, Cidr.parse("10.96.0.0/12"), Optional.empty(), Optional.empty());
        try (ControlPlane controlPlane = new ControlPlane(options, HostAddresses.discover(), Stores::open, Clock.systemUTC())) {
            assertThat(controlPlane.start()).isTrue();
            DnsComponent dns = new DnsComponent(options.dataDir().kubeconfig(),
                    DnsSettings.defaults(InetAddress.getLoopbackAddress(), Forwarder.none()).withPort(0));
            try {
                dns.start(cause -> { });
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!dns.ready() && System.nanoTime() < deadline) {
                    Thread.sleep(100); // its caches may still be syncing on a loaded machine
                }
                assertThat(dns.ready()).isTrue();
                SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port()));
                // bounds only a lost answer (one UDP try): a loaded machine can take seconds to reply
                resolver.setTimeout(Duration.ofSeconds(30));
                assertThat(addresses(resolver, "kubernetes.default.svc.cluster.local.")).isEqualTo("10.96.0.1");
                assertThat(addresses(resolver, "kube-dns.kube-system.svc.cluster.local.")).isEqualTo("10.96.0.10");
            } finally {
                dns.stop();
            }
        }
    }

    private static String addresses(SimpleResolver resolver, String name) throws Exception {
        Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN)));
        return String.join(",", response.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList());
    }
}
