package dev.konductor.proxy.userspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.proxy.model.IpLiterals;
import dev.konductor.proxy.model.Protocol;
import dev.konductor.proxy.model.ProxyEndpoint;
import dev.konductor.proxy.model.ProxyModel;
import dev.konductor.proxy.model.ServicePortName;
import dev.konductor.proxy.model.ServicePortRules;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The userspace proxy on loopback: no root needed. */
class UserspaceProxierTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final EchoServers servers = new EchoServers();
    private final UserspaceProxier proxier = new UserspaceProxier(List.of(LOOPBACK), Duration.ofSeconds(1),
            address -> address.isLoopbackAddress());

    @AfterEach
    void stop() throws IOException {
        proxier.close();
        servers.close();
    }

    private static ServicePortRules web(int nodePort, List<ProxyEndpoint> endpoints, Optional<Duration> affinity) {
        return new ServicePortRules(new ServicePortName("default", "web", "http", Protocol.TCP),
                IpLiterals.parse("10.96.0.20").orElseThrow(), 80, nodePort, List.of(), affinity, false, endpoints, endpoints);
    }

    private List<ProxyEndpoint> endpoints(String... names) throws IOException {
        List<ProxyEndpoint> endpoints = new ArrayList<>();
        for (String name : names) {
            endpoints.add(new ProxyEndpoint(LOOPBACK, servers.start(name), true));
        }
        return endpoints;
    }

    @Test
    void aNodePortForwardsRoundRobinAndCarriesDataBothWays() throws Exception {
        int nodePort = EchoServers.freePort();
        proxier.sync(new ProxyModel(List.of(web(nodePort, endpoints("a", "b", "c"), Optional.empty())), List.of()));

        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String[] answer = EchoServers.ask(new InetSocketAddress(LOOPBACK, nodePort), "hello " + i);
            assertThat(answer[1]).isEqualTo("hello " + i);
            hits.merge(answer[0], 1, Integer::sum);
        }
        assertThat(hits).containsOnlyKeys("a", "b", "c").allSatisfy((name, count) -> assertThat(count).isEqualTo(10));
    }

    @Test
    void clientIpAffinityKeepsAClientOnOneEndpoint() throws Exception {
        int nodePort = EchoServers.freePort();
        proxier.sync(new ProxyModel(List.of(web(nodePort, endpoints("a", "b", "c"), Optional.of(Duration.ofMinutes(1)))),
                List.of()));

        String first = EchoServers.ask(new InetSocketAddress(LOOPBACK, nodePort), "x")[0];
        for (int i = 0; i < 10; i++) {
            assertThat(EchoServers.ask(new InetSocketAddress(LOOPBACK, nodePort), "x")[0]).isEqualTo(first);
        }
    }

    @Test
    void endpointChangesApplyToTheNextConnectionAndDeadEndpointsAreSkipped() throws Exception {
        int nodePort = EchoServers.freePort();
        List<ProxyEndpoint> ab = endpoints("a", "b");
        ProxyEndpoint dead = new ProxyEndpoint(LOOPBACK, EchoServers.freePort(), true);
        proxier.sync(new ProxyModel(List.of(web(nodePort, List.of(ab.get(0), dead), Optional.empty())), List.of()));
        for (int i = 0; i < 4; i++) {
            assertThat(EchoServers.ask(new InetSocketAddress(LOOPBACK, nodePort), "x")[0]).isEqualTo("a");
        }

        proxier.sync(new ProxyModel(List.of(web(nodePort, List.of(ab.get(1)), Optional.empty())), List.of()));

        assertThat(EchoServers.ask(new InetSocketAddress(LOOPBACK, nodePort), "x")[0]).isEqualTo("b");
    }

    @Test
    void aClusterIpThatIsALocalAddressIsServedOnTheServicePort() throws Exception {
        int servicePort = EchoServers.freePort();
        ServicePortRules rules = new ServicePortRules(new ServicePortName("default", "db", "", Protocol.TCP), LOOPBACK,
                servicePort, 0, List.of(), Optional.empty(), false, endpoints("db"), List.of());

        proxier.sync(new ProxyModel(List.of(rules), List.of(LOOPBACK)));

        assertThat(EchoServers.ask(new InetSocketAddress(LOOPBACK, servicePort), "x")[0]).isEqualTo("db");
    }

    @Test
    void aRemovedServiceStopsListening() throws Exception {
        int nodePort = EchoServers.freePort();
        proxier.sync(new ProxyModel(List.of(web(nodePort, endpoints("removed-service"), Optional.empty())), List.of()));
        assertThat(proxier.listening()).containsExactly(new InetSocketAddress(LOOPBACK, nodePort));

        proxier.sync(ProxyModel.EMPTY);

        assertThat(proxier.listening()).isEmpty();
        // The port is free again: refused, or (tests run in parallel) someone else's now, never this endpoint
        // (a name no other test's echo server answers with).
        String[] answer = null;
        try {
            answer = EchoServers.ask(new InetSocketAddress(LOOPBACK, nodePort), "x");
        } catch (java.io.IOException refused) {
            // expected
        }
        assertThat(answer == null ? null : answer[0]).isNotEqualTo("removed-service");
    }
}
