package dev.konductor.proxy.userspace;

import dev.konductor.proxy.model.ProxyEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of the userspace proxy (a NodePort, or a ClusterIP port where that address
 * is local): every accepted connection is joined to an endpoint, one virtual thread per direction.
 * An endpoint that refuses is skipped for the next one. Connections already joined live on after
 * their endpoint leaves the Service, as conntrack entries do in the kernel proxy.
 */
final class TcpListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    static final int MAX_CONNECTIONS = 4096;

    private final String description;
    private final ServerSocket server;
    private final Backends backends;
    private final Duration connectTimeout;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TcpListener(String description, ServerSocket server, Backends backends, Duration connectTimeout) {
        this.description = description;
        this.server = server;
        this.backends = backends;
        this.connectTimeout = connectTimeout;
    }

    static TcpListener open(String description, InetSocketAddress address, Backends backends, Duration connectTimeout)
            throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(address, 1024);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        TcpListener listener = new TcpListener(description, server, backends, connectTimeout);
        Thread.ofVirtual().name("userspace-proxy-" + address).start(listener::acceptLoop);
        return listener;
    }

    Backends backends() {
        return backends;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                connections.acquire();
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    connections.release();
                    throw e;
                }
                if (closed) {
                    // closing a socket a virtual thread waits on in accept() takes effect once that
                    // thread runs again, so a connection may still be accepted after close()
                    connections.release();
                    client.close();
                    return;
                }
                Thread.ofVirtual().start(() -> {
                    try {
                        serve(client);
                    } finally {
                        connections.release();
                    }
                });
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.warn("userspace proxy accept failed listener={} error={}", description, e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        open.add(client);
        Socket upstream = null;
        try (client) {
            List<ProxyEndpoint> order = backends.order(client.getInetAddress());
            for (ProxyEndpoint endpoint : order) {
                Socket candidate = new Socket();
                try {
                    candidate.connect(new InetSocketAddress(endpoint.ip(), endpoint.port()), (int) connectTimeout.toMillis());
                    upstream = candidate;
                    backends.used(client.getInetAddress(), endpoint);
                    break;
                } catch (IOException refused) {
                    candidate.close();
                    log.debug("endpoint refused listener={} endpoint={} error={}", description, endpoint.hostPort(),
                            refused.getMessage());
                }
            }
            if (upstream == null) {
                return; // no endpoint: the client sees the connection closed, as close as we get to a reject
            }
            open.add(upstream);
            Socket server = upstream;
            Thread back = Thread.ofVirtual().start(() -> pump(server, client));
            pump(client, server);
            back.join();
        } catch (IOException | InterruptedException e) {
            log.debug("userspace proxy connection ended listener={} error={}", description, e.getMessage());
        } finally {
            if (upstream != null) {
                open.remove(upstream);
                try {
                    upstream.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            open.remove(client);
        }
    }

    /** Copies one direction until its end, then half-closes the other side so the peer sees the end too. */
    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (SocketException closed) {
            // the other direction closed both sockets
        } catch (IOException e) {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // already going
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
