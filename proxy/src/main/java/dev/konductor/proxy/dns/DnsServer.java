package dev.konductor.proxy.dns;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The cluster DNS server: answers for the cluster domain from informers on Services and
 * EndpointSlices (see {@link ClusterRecords}) and forwards everything else, over UDP and TCP on
 * one address and port. One virtual thread per UDP query and per TCP connection, both bounded:
 * past the bound a UDP query is dropped (the client retries) and a TCP connection waits to be
 * accepted.
 */
public final class DnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);
    static final Duration TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_UDP_IN_FLIGHT = 1024;
    static final int MAX_TCP_CONNECTIONS = 256;
    private static final int BIND_ATTEMPTS = 10;

    private final DnsSettings settings;
    private final InformerClusterState state;
    private final DnsHandler handler;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore udpInFlight = new Semaphore(MAX_UDP_IN_FLIGHT);
    private final Semaphore tcpConnections = new Semaphore(MAX_TCP_CONNECTIONS);
    private volatile DatagramSocket udp;
    private volatile ServerSocket tcp;
    private volatile boolean closed;

    public DnsServer(KubernetesClient client, DnsSettings settings) {
        this.settings = settings;
        this.state = new InformerClusterState(client);
        Name zone;
        try {
            zone = Name.fromString(settings.clusterDomain() + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("cluster domain is not a DNS name: " + settings.clusterDomain(), e);
        }
        ClusterRecords records = new ClusterRecords(zone, settings.ttl().toSeconds(), settings.podRecords(), state,
                Instant.now().getEpochSecond());
        this.handler = new DnsHandler(records, settings.forwarder());
    }

    /**
     * Starts the informers, waits (a bounded time) for their first lists, then binds UDP and
     * TCP. Queries in the zone get SERVFAIL until the informers have synced.
     */
    public void start() throws IOException, InterruptedException {
        if (!state.start(SYNC_TIMEOUT)) {
            log.warn("cluster DNS serving before its caches synced timeoutSeconds={}", SYNC_TIMEOUT.toSeconds());
        }
        bind();
        Thread.ofPlatform().name("dns-udp").daemon().start(this::serveUdp);
        Thread.ofPlatform().name("dns-tcp").daemon().start(this::serveTcp);
        log.info("cluster DNS listening address={} port={} zone={} ttlSeconds={} forwarder={}", settings.address()
                .getHostAddress(), port(), settings.clusterDomain(), settings.ttl().toSeconds(), settings.forwarder());
    }

    /** UDP and TCP on the same port; with port 0, retried until one free for both is found. */
    private void bind() throws IOException {
        for (int attempt = 1; ; attempt++) {
            DatagramSocket datagrams = new DatagramSocket(new InetSocketAddress(settings.address(), settings.port()));
            try {
                ServerSocket stream = new ServerSocket();
                try {
                    stream.setReuseAddress(true);
                    stream.bind(new InetSocketAddress(settings.address(), datagrams.getLocalPort()), 128);
                } catch (IOException e) {
                    stream.close();
                    throw e;
                }
                udp = datagrams;
                tcp = stream;
                return;
            } catch (BindException taken) {
                datagrams.close();
                if (settings.port() != 0 || attempt == BIND_ATTEMPTS) {
                    throw taken;
                }
            }
        }
    }

    /** The bound port, UDP and TCP alike; valid once started. */
    public int port() {
        return udp.getLocalPort();
    }

    /** Whether the server answers from a complete view of the cluster. */
    public boolean ready() {
        return udp != null && state.synced();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    log.warn("dns udp receive failed cause={}", e.toString());
                }
                continue;
            }
            if (!udpInFlight.tryAcquire()) {
                continue;
            }
            byte[] query = Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
            var client = packet.getSocketAddress();
            try {
                workers.execute(() -> {
                    try {
                        byte[] reply = handler.answerUdp(query);
                        if (reply != null) {
                            udp.send(new DatagramPacket(reply, reply.length, client));
                        }
                    } catch (IOException | RuntimeException e) {
                        log.debug("dns udp query failed client={} cause={}", client, e.toString());
                    } finally {
                        udpInFlight.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                udpInFlight.release();
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                tcpConnections.acquire();
            } catch (InterruptedException e) {
                return;
            }
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                tcpConnections.release();
                if (!closed) {
                    log.warn("dns tcp accept failed cause={}", e.toString());
                }
                continue;
            }
            try {
                workers.execute(() -> {
                    try (socket) {
                        serveConnection(socket);
                    } catch (IOException | RuntimeException e) {
                        log.debug("dns tcp connection ended client={} cause={}", socket.getRemoteSocketAddress(), e.toString());
                    } finally {
                        tcpConnections.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                tcpConnections.release();
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** Length-prefixed messages, answered in order, until the client closes or idles out. */
    private void serveConnection(Socket socket) throws IOException {
        socket.setSoTimeout((int) TCP_IDLE_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        while (!closed) {
            int length;
            try {
                length = in.readUnsignedShort();
            } catch (EOFException | SocketTimeoutException done) {
                return;
            }
            byte[] query = new byte[length];
            in.readFully(query);
            byte[] reply = handler.answerTcp(query);
            if (reply == null) {
                return;
            }
            out.writeShort(reply.length);
            out.write(reply);
            out.flush();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            try {
                tcp.close();
            } catch (SocketException ignored) {
                // already closed
            } catch (IOException e) {
                log.debug("closing dns tcp socket failed cause={}", e.toString());
            }
        }
        workers.shutdownNow();
        state.close();
    }
}
