package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.proxy.ProxyMode;
import dev.konductor.proxy.ProxySettings;
import dev.konductor.proxy.model.ServicePortRules;
import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.store.Stores;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy component beside a real control plane, through the admin kubeconfig (userspace mode: no root). */
class ProxyComponentTest {

    @TempDir
    Path dir;

    @Test
    void followsTheServicesOfTheServerItRunsWith() throws Exception {
        ServerOptions options = new ServerOptions(DataDir.create(dir), Optional.of(InetAddress.getLoopbackAddress()),
                0, "sqlite", NodeRuntime.NONE, Cidr.parse("10.96.0.0/12"), Optional.empty(), Optional.empty());
        try (ControlPlane controlPlane = new ControlPlane(options, HostAddresses.discover(), Stores::open, Clock.systemUTC())) {
            assertThat(controlPlane.start()).isTrue();
            ProxySettings settings = ProxySettings.defaults("node-1",
                            dev.konductor.proxy.model.Cidr.parse(options.serviceCidr().toString()))
                    .withMode(ProxyMode.USERSPACE).withNodePortAddresses(List.of(InetAddress.getLoopbackAddress()));
            ProxyComponent proxy = new ProxyComponent(options.dataDir().kubeconfig(), settings, true);
            try {
                proxy.start(cause -> { });
                // generous: the proxy lists Services and EndpointSlices from a control plane that a loaded
                // 2-core machine may still be starting up
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
                while (!proxy.ready() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(proxy.ready()).isTrue();
                assertThat(proxy.proxy().lastModel().ports()).extracting(ServicePortRules::name)
                        .extracting(Object::toString).contains("default/kubernetes:https");
            } finally {
                proxy.stop();
            }
        }
    }
}
