package dev.konductor.kubelet.prober;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTP GET as upstream's kubelet sends for httpGet probes and hooks: HTTP/1.1 without
 * keep-alive, {@code User-Agent: kube-probe/<version>} and {@code Accept: *}{@code /*} unless the
 * spec's headers say otherwise (a {@code Host} header included, which {@code java.net.http} would
 * refuse, hence a plain socket), HTTPS without certificate checks, redirects followed only to the
 * same host (up to 10). {@code 200 <= code < 400} succeeds; a redirect elsewhere is a warning.
 * Errors read as Go's do ({@code Get "URL": dial tcp IP:PORT: connect: connection refused}).
 */
public final class HttpGet {

    static final int MAX_BODY = 10 * 1024;
    static final int MAX_REDIRECTS = 10;
    static final String USER_AGENT = "kube-probe/1.32";

    /** One request's target. */
    public record Request(URI url, Map<String, String> headers, Duration timeout) {
    }

    /** What came back: the status code and the start of the body. */
    record Response(int code, Map<String, String> headers, String body) {
    }

    private HttpGet() {
    }

    public static ProbeResult probe(Request request) {
        long deadline = System.nanoTime() + request.timeout().toNanos();
        URI url = request.url();
        for (int hop = 0; ; hop++) {
            Response response;
            try {
                response = get(url, request.headers(), deadline);
            } catch (SocketTimeoutException e) {
                return ProbeResult.failure("Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
            } catch (IOException e) {
                return ProbeResult.failure("Get \"" + url + "\": " + dialError(url, e));
            }
            if (response.code() >= 300 && response.code() < 400 && response.headers().containsKey("location")) {
                URI next = url.resolve(response.headers().get("location"));
                if (next.getHost() == null || !next.getHost().equalsIgnoreCase(url.getHost())) {
                    return ProbeResult.warning("Probe terminated redirects, Response body: " + response.body());
                }
                if (hop + 1 >= MAX_REDIRECTS) {
                    return ProbeResult.failure("Get \"" + next + "\": stopped after 10 redirects");
                }
                url = next;
                continue;
            }
            if (response.code() >= 200 && response.code() < 400) {
                return response.code() >= 300
                        ? ProbeResult.warning("Probe terminated redirects, Response body: " + response.body())
                        : ProbeResult.success(response.body());
            }
            return ProbeResult.failure("HTTP probe failed with statuscode: " + response.code());
        }
    }

    static String dialError(URI url, IOException e) {
        String address = "tcp " + url.getHost() + ":" + port(url);
        if (e instanceof ConnectException) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("refused")) {
                return "dial " + address + ": connect: connection refused";
            }
            if (message.contains("unreachable")) {
                return "dial " + address + ": connect: no route to host";
            }
        }
        return "dial " + address + ": " + e.getMessage();
    }

    private static Response get(URI url, Map<String, String> extra, long deadlineNanos) throws IOException {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = port(url);
        try (Socket socket = connect(url.getHost(), port, https, deadlineNanos)) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", url.getHost() + ((https && port == 443) || (!https && port == 80) ? "" : ":" + port));
            headers.put("User-Agent", USER_AGENT);
            headers.put("Accept", "*/*");
            extra.forEach((name, value) -> {
                headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
                headers.put(name, value);
            });
            headers.put("Connection", "close");
            StringBuilder head = new StringBuilder("GET ").append(url.getRawPath() == null || url.getRawPath().isEmpty()
                    ? "/" : url.getRawPath());
            if (url.getRawQuery() != null) {
                head.append('?').append(url.getRawQuery());
            }
            head.append(" HTTP/1.1\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket, deadlineNanos);
        }
    }

    private static Socket connect(String host, int port, boolean https, long deadlineNanos) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), remainingMillis(deadlineNanos));
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            if (!https) {
                return socket;
            }
            SSLSocket tls = (SSLSocket) insecureTls().getSocketFactory().createSocket(socket, host, port, true);
            if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(host)));
                tls.setSSLParameters(parameters);
            }
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Response read(Socket socket, long deadlineNanos) throws IOException {
        InputStream in = socket.getInputStream();
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP response \"" + status + "\"");
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status code \"" + parts[1] + "\"");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
        }
        socket.setSoTimeout(remainingMillis(deadlineNanos));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        long length = headers.containsKey("content-length") ? Long.parseLong(headers.get("content-length")) : Long.MAX_VALUE;
        try {
            for (int n; body.size() < Math.min(length, MAX_BODY) && (n = in.read(buffer)) > 0; ) {
                body.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // the verdict rests on the status code; a slow body does not change it
        }
        byte[] bytes = body.toByteArray();
        String text = new String(bytes, 0, Math.min(bytes.length, MAX_BODY), StandardCharsets.UTF_8);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            text = unchunk(text);
        }
        return new Response(code, headers, text);
    }

    /** The chunks' data, without their size lines (best effort: the body only feeds messages). */
    static String unchunk(String raw) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < raw.length()) {
            int eol = raw.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size;
            try {
                size = Integer.parseInt(raw.substring(at, eol).split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int start = eol + 2;
            out.append(raw, start, Math.min(raw.length(), start + size));
            at = start + size + 2;
        }
        return out.toString();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > 16 * 1024) {
                throw new IOException("HTTP header line too long");
            }
        }
        return line.toString();
    }

    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** As upstream: probes check that something answers, not who; certificates are not verified. */
    private static SSLContext insecureTls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
