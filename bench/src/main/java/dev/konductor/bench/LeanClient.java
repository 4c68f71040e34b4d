package dev.konductor.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One keep-alive HTTPS/1.1 connection, blocking, with nothing between the benchmark and the
 * socket: the load generator shares the 2-core machine with the server, so its own cost per
 * request must stay far below the server's (the JDK's HttpClient costs several times more CPU
 * per request). Handles Content-Length and chunked responses. Not thread-safe: one per client.
 */
final class LeanClient implements AutoCloseable {

    record Response(int status, byte[] body) {
    }

    private final SSLSocket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    LeanClient(URI server, SSLContext tls) throws IOException {
        socket = (SSLSocket) tls.getSocketFactory().createSocket(server.getHost(), server.getPort());
        socket.setTcpNoDelay(true);
        socket.startHandshake();
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        host = server.getHost() + ":" + server.getPort();
    }

    Response send(String method, String path, String contentType, String body) throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\nAccept: application/json\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(payload.length)
                    .append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.flush();
        return read();
    }

    /** Takes one line of a streamed response body (without its newline). */
    interface LineSink {
        void line(byte[] buffer, int offset, int length) throws IOException;
    }

    /**
     * Sends a GET whose answer streams lines (a watch), runs {@code started} once the response
     * headers are in, and hands each line to {@code sink} until the server ends the stream;
     * closing the client from another thread stops it with an IOException. A status other than
     * 200 is returned at once, its body unread.
     */
    int streamLines(String path, Runnable started, LineSink sink) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, "transfer-encoding:", 0, 18) && header.toLowerCase().contains("chunked")) {
                chunked = true;
            }
        }
        if (code != 200) {
            return code;
        }
        if (!chunked) {
            throw new IOException("a streamed response must be chunked");
        }
        started.run();
        byte[] pending = new byte[64 * 1024];
        int filled = 0;
        for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
             size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
            if (filled + size > pending.length) {
                pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, filled + size));
            }
            in.readNBytes(pending, filled, size);
            filled += size;
            line();
            int start = 0;
            for (int i = 0; i < filled; i++) {
                if (pending[i] == '\n') {
                    if (i > start) {
                        sink.line(pending, start, i - start);
                    }
                    start = i + 1;
                }
            }
            System.arraycopy(pending, start, pending, 0, filled - start);
            filled -= start;
        }
        return code;
    }

    private Response read() throws IOException {
        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        }
        return new Response(code, body.toByteArray());
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
