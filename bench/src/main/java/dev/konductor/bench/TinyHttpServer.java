package dev.konductor.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The smallest HTTP/1.1 server that keeps connections alive: answers every request with
 * {@code 200 ok}, one virtual thread per connection. The service-proxy benchmark runs it inside a
 * network namespace it made (a "pod"), so that it measures the path to it, not the server.
 *
 * <pre>java dev.konductor.bench.TinyHttpServer PORT</pre>
 */
public final class TinyHttpServer {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSING = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
            + "Connection: close\r\n\r\nok\n").getBytes(StandardCharsets.US_ASCII);

    private TinyHttpServer() {
    }

    public static void main(String[] args) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(Integer.parseInt(args[0])), 4096);
        System.out.println("listening " + server.getLocalPort());
        System.out.flush();
        while (true) {
            Socket socket = server.accept();
            Thread.ofVirtual().start(() -> serve(socket));
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = socket.getOutputStream();
            StringBuilder line = new StringBuilder();
            boolean close = false;
            int c;
            while ((c = in.read()) >= 0) {
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                String header = line.toString().strip();
                line.setLength(0);
                if (header.toLowerCase(Locale.ROOT).equals("connection: close")) {
                    close = true;
                }
                if (header.isEmpty()) { // end of a request (bodies are not expected)
                    out.write(close ? CLOSING : RESPONSE);
                    out.flush();
                    if (close) {
                        return;
                    }
                }
            }
        } catch (IOException ignored) {
            // client went away
        }
    }
}
