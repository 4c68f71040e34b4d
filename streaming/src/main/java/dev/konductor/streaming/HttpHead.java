package dev.konductor.streaming;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The head of an HTTP/1.1 request or response: its start line and its header lines, in order and
 * with repeats kept apart. Repeats matter here: client-go offers each stream protocol version as
 * its own {@code X-Stream-Protocol-Version} line and Go servers match line by line, so a head
 * is relayed exactly as it came rather than through a header map.
 */
public record HttpHead(String startLine, List<Header> headers) {

    /** The most a head may take; upstream's proxies stop at the same order of size. */
    public static final int MAX_BYTES = 64 * 1024;

    public record Header(String name, String value) {
    }

    public HttpHead {
        headers = List.copyOf(headers);
    }

    public static HttpHead request(String method, String target, List<Header> headers) {
        return new HttpHead(method + " " + target + " HTTP/1.1", headers);
    }

    public static HttpHead response(int status, String reason, List<Header> headers) {
        return new HttpHead("HTTP/1.1 " + status + " " + reason, headers);
    }

    /** The status code of a response head; -1 when the start line is not a status line. */
    public int status() {
        String[] parts = startLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The reason phrase of a response head ("Switching Protocols"), or "". */
    public String reason() {
        String[] parts = startLine.split(" ", 3);
        return parts.length == 3 ? parts[2] : "";
    }

    /** The first value of a header (names compare case-insensitively), or null. */
    public String value(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** Every value of a header, each line as it came. */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                out.add(h.value());
            }
        }
        return out;
    }

    public byte[] encode() {
        StringBuilder out = new StringBuilder(startLine).append("\r\n");
        for (Header h : headers) {
            out.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads a head up to and including its blank line, and not a byte further, so the stream
     * goes on with the body or the upgraded protocol. Tolerates bare LF line ends, as Go does.
     */
    public static HttpHead read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        int previous = -1;
        int beforePrevious = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed before the end of the HTTP head");
            }
            bytes.write(b);
            if (bytes.size() > MAX_BYTES) {
                throw new IOException("HTTP head larger than " + MAX_BYTES + " bytes");
            }
            boolean endOfHead = b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'));
            if (endOfHead) {
                return parse(bytes.toString(StandardCharsets.ISO_8859_1));
            }
            beforePrevious = previous;
            previous = b;
        }
    }

    static HttpHead parse(String text) throws IOException {
        List<String> lines = text.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new IOException("empty HTTP head");
        }
        List<Header> headers = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed HTTP header line: " + line);
            }
            headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
        }
        return new HttpHead(lines.getFirst(), headers);
    }

    @Override
    public String toString() {
        return startLine;
    }
}
