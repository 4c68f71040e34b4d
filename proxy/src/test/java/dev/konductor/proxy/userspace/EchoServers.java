package dev.konductor.proxy.userspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loopback TCP servers that answer each connection with their name, then echo what they are sent. */
final class EchoServers implements AutoCloseable {

    private final List<ServerSocket> servers = new ArrayList<>();

    /** Starts a server named {@code name} on 127.0.0.1 and a free port; returns the port. */
    int start(String name) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        servers.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                            out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // client went away
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    /** Connects, reads the greeting line (the server's name), sends {@code message}, reads it back. */
    static String[] ask(InetSocketAddress address, String message) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2000);
            socket.setSoTimeout(5000);
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String name = reader.readLine();
            socket.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            String echoed = reader.readLine();
            return new String[] {name, echoed};
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket server : servers) {
            server.close();
        }
    }
}
