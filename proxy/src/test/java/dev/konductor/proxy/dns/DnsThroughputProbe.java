package dev.konductor.proxy.dns;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Queries per second against the DNS server on loopback, for the record; asserts nothing about
 * speed. Run on request only:
 * {@code mvn -pl proxy -am test -Dtest=DnsThroughputProbe -Ddns.probe=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "dns.probe", matches = "true")
class DnsThroughputProbe {

    private static final Duration RUN = Duration.ofSeconds(5);
    private static final int CLIENTS = 8;

    @Test
    void measure() throws Exception {
        try (LocalApiServer api = LocalApiServer.start()) {
            KubernetesClient client = api.client();
            for (int i = 0; i < 200; i++) {
                client.services().inNamespace("default").resource(TestObjects.clusterIp("default", "svc-" + i, "",
                        TestObjects.port("http", 80, "TCP"))).create();
            }
            DnsSettings settings = DnsSettings.defaults(InetAddress.getLoopbackAddress(), Forwarder.none()).withPort(0);
            try (DnsServer dns = new DnsServer(client, settings)) {
                dns.start();
                InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.port());
                byte[] query = Message.newQuery(Record.newRecord(Name.fromConstantString("svc-7.default.svc.cluster.local."),
                        Type.A, DClass.IN)).toWire();
                Await.until("the Service resolves", () -> udpOnce(server, query) > 50);
                // warm up, then measure
                run(server, query, false, Duration.ofSeconds(2));
                System.out.printf("dns udp: %.0f queries/s (%d clients)%n", run(server, query, false, RUN), CLIENTS);
                System.out.printf("dns tcp: %.0f queries/s (%d clients, one connection each)%n", run(server, query, true, RUN), CLIENTS);
            }
        }
    }

    private static int udpOnce(InetSocketAddress server, byte[] query) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(1000);
            socket.send(new DatagramPacket(query, query.length, server));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            socket.receive(reply);
            return reply.getLength();
        } catch (Exception e) {
            return 0;
        }
    }

    private static double run(InetSocketAddress server, byte[] query, boolean tcp, Duration duration) throws Exception {
        LongAdder answered = new LongAdder();
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    if (tcp) {
                        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
                            socket.setTcpNoDelay(true);
                            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                            DataInputStream in = new DataInputStream(socket.getInputStream());
                            while (System.nanoTime() < deadline) {
                                out.writeShort(query.length);
                                out.write(query);
                                out.flush();
                                in.readFully(new byte[in.readUnsignedShort()]);
                                answered.increment();
                            }
                        }
                    } else {
                        try (DatagramSocket socket = new DatagramSocket()) {
                            socket.setSoTimeout(1000);
                            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
                            while (System.nanoTime() < deadline) {
                                socket.send(new DatagramPacket(query, query.length, server));
                                socket.receive(reply);
                                answered.increment();
                            }
                        }
                    }
                } catch (Exception e) {
                    System.out.println("client stopped: " + e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return answered.sum() / ((System.nanoTime() - started) / 1e9);
    }
}
