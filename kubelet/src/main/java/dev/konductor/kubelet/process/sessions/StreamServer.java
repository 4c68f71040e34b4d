package dev.konductor.kubelet.process.sessions;

import dev.konductor.streaming.HttpHead;
import dev.konductor.streaming.SocketDuplex;
import dev.konductor.streaming.StreamProtocols;
import dev.konductor.streaming.UpgradeProxy;
import dev.konductor.streaming.spdy.SpdyServerSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime's own streaming server, as containerd's CRI plugin runs one: plain HTTP on loopback
 * (only the kubelet on this node dials it), each prepared session at a one-time URL
 * {@code /exec|attach|portforward/<token>}. It speaks what the kubelet relays: an upgrade to
 * SPDY/3.1 with {@code v4.channel.k8s.io} (exec and attach; the API server turns kubectl's
 * WebSocket into exactly this) or {@code portforward.k8s.io}. A WebSocket client reaching it
 * directly is refused with a message saying so. One virtual thread per connection.
 */
public final class StreamServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamServer.class);
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);
    static final List<String> REMOTECOMMAND_PROTOCOLS = List.of(StreamProtocols.REMOTECOMMAND_V4);
    static final List<String> PORT_FORWARD_PROTOCOLS = List.of(StreamProtocols.PORT_FORWARD);

    private final ServerSocket server;
    private final StreamTokens tokens;
    private final Thread acceptor;

    private StreamServer(ServerSocket server, Clock clock) {
        this.server = server;
        this.tokens = new StreamTokens(clock);
        this.acceptor = Thread.ofVirtual().name("process-streams").start(this::accept);
    }

    /** Listens on a free loopback port. */
    public static StreamServer start(Clock clock) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new StreamServer(socket, clock);
    }

    /** Holds {@code session} for its client; returns the URL the kubelet relays it to. */
    public String prepare(Session session) {
        String kind = switch (session) {
            case Session.RemoteCommand command -> command.kind();
            case Session.PortForward ignored -> "portforward";
        };
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getLocalPort() + "/" + kind
                + "/" + tokens.put(session);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().name("process-stream").start(() -> serve(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.warn("streaming server accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        SocketDuplex connection;
        try {
            socket.setTcpNoDelay(true);
            connection = new SocketDuplex(socket);
            connection.readTimeout(HEAD_TIMEOUT);
        } catch (IOException e) {
            closeQuietly(socket);
            return;
        }
        try {
            HttpHead request = HttpHead.read(connection.input());
            Optional<Session> session = session(request);
            if (session.isEmpty()) {
                refuse(connection, 404, "unknown or expired streaming session (a session URL is good once, for a minute)");
                return;
            }
            if (!StreamProtocols.SPDY_31.equalsIgnoreCase(String.valueOf(request.value("Upgrade")))) {
                refuse(connection, 400, "the process runtime serves exec, attach and port-forward as SPDY/3.1 upgrades"
                        + " (what kubectl and the API server send); this request asked for "
                        + Optional.ofNullable(request.value("Upgrade")).orElse("no upgrade"));
                return;
            }
            List<String> supported = session.get() instanceof Session.PortForward ? PORT_FORWARD_PROTOCOLS
                    : REMOTECOMMAND_PROTOCOLS;
            List<String> offered = offered(request);
            Optional<String> chosen = supported.stream().filter(offered::contains).findFirst();
            if (chosen.isEmpty()) {
                refuse(connection, 403, "unable to upgrade: unable to negotiate protocol: client supports " + offered
                        + ", server supports " + supported);
                return;
            }
            connection.output().write(HttpHead.response(101, "Switching Protocols", List.of(
                    new HttpHead.Header("Connection", "Upgrade"),
                    new HttpHead.Header("Upgrade", StreamProtocols.SPDY_31),
                    new HttpHead.Header(StreamProtocols.VERSION_HEADER, chosen.get()))).encode());
            connection.readTimeout(Duration.ZERO);
            run(session.get(), new SpdyServerSession(connection));
        } catch (IOException | RuntimeException e) {
            log.debug("streaming connection failed: {}", e.toString());
        } finally {
            connection.close();
        }
    }

    private static void run(Session session, SpdyServerSession spdy) {
        switch (session) {
            case Session.RemoteCommand command -> new RemoteCommandSession(spdy, command).run();
            case Session.PortForward forward -> new PortForwardSession(spdy, forward.dialer()).run();
        }
    }

    /** The session a request's path names, taken (a token is good once), if its kind matches. */
    private Optional<Session> session(HttpHead request) {
        String[] startLine = request.startLine().split(" ");
        if (startLine.length < 2) {
            return Optional.empty();
        }
        String path = startLine[1];
        int query = path.indexOf('?');
        String[] parts = (query < 0 ? path : path.substring(0, query)).split("/");
        if (parts.length != 3) {
            return Optional.empty();
        }
        String kind = parts[1];
        return tokens.take(parts[2]).filter(s -> switch (s) {
            case Session.RemoteCommand command -> command.kind().equals(kind);
            case Session.PortForward ignored -> kind.equals("portforward");
        });
    }

    /** The protocol versions the client offers: one per header line, or comma-separated, as client-go's handshake reads them. */
    static List<String> offered(HttpHead request) {
        List<String> out = new ArrayList<>();
        for (String line : request.values(StreamProtocols.VERSION_HEADER)) {
            for (String p : line.split(",")) {
                if (!p.isBlank()) {
                    out.add(p.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    private static void refuse(SocketDuplex connection, int status, String message) throws IOException {
        UpgradeProxy.Answer answer = UpgradeProxy.Answer.text(status, message);
        connection.output().write(answer.head().encode());
        connection.output().write(message.getBytes(StandardCharsets.UTF_8));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.debug("cannot close the streaming server: {}", e.getMessage());
        }
        acceptor.interrupt();
    }
}
