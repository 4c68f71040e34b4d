package dev.konductor.kubelet.prober;

import dev.konductor.kubelet.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the handlers probes and lifecycle hooks share, against one container: {@code exec}
 * through the runtime's ExecSync, {@code httpGet} and {@code tcpSocket} to the pod's IP (or the
 * handler's host) with named ports looked up in the container's ports; {@code grpc} (probes
 * only) as a health check call to the pod's IP.
 */
public final class Handlers {

    private final ContainerRuntime runtime;

    public Handlers(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Runs a probe's handler once, within its timeout. */
    public ProbeResult probe(Probe probe, Container container, String containerId, String podIp, Duration timeout) {
        try {
            if (probe.getExec() != null) {
                return exec(containerId, probe.getExec().getCommand(), timeout);
            }
            if (probe.getHttpGet() != null) {
                return HttpGet.probe(httpRequest(probe.getHttpGet(), container, podIp, timeout));
            }
            if (probe.getTcpSocket() != null) {
                return tcp(probe.getTcpSocket(), container, podIp, timeout);
            }
            if (probe.getGrpc() != null) {
                Integer port = probe.getGrpc().getPort();
                if (port == null || port <= 0 || port > 65535) {
                    return ProbeResult.error("invalid grpc probe port: " + port);
                }
                return GrpcHealth.check(podIp, port, probe.getGrpc().getService(), timeout);
            }
            return ProbeResult.error("missing probe handler for " + container.getName());
        } catch (UnknownPortException e) {
            return ProbeResult.error(e.getMessage());
        }
    }

    /** Runs {@code command} in the container; a non-zero exit is a failure whose output is the message. */
    public ProbeResult exec(String containerId, List<String> command, Duration timeout) {
        List<String> cmd = command == null ? List.of() : command;
        try {
            ContainerRuntime.ExecResult result = runtime.execSync(containerId, cmd, timeout);
            String output = new String(result.stdout(), StandardCharsets.UTF_8) + new String(result.stderr(), StandardCharsets.UTF_8);
            return result.exitCode() == 0 ? ProbeResult.success(output) : ProbeResult.failure(output);
        } catch (ContainerRuntime.ExecTimeoutException e) {
            return ProbeResult.failure("command \"" + String.join(" ", cmd) + "\" timed out");
        } catch (ContainerRuntime.RuntimeException e) {
            return ProbeResult.error(e.getMessage());
        }
    }

    public ProbeResult tcp(TCPSocketAction action, Container container, String podIp, Duration timeout) throws UnknownPortException {
        String host = action.getHost() == null || action.getHost().isEmpty() ? podIp : action.getHost();
        int port = resolvePort(action.getPort(), container);
        String address = "tcp " + host + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return ProbeResult.success("");
        } catch (SocketTimeoutException e) {
            return ProbeResult.failure("dial " + address + ": i/o timeout");
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            return ProbeResult.failure("dial " + address + ": " + (message.contains("refused") ? "connect: connection refused"
                    : e.getMessage()));
        }
    }

    /** The request an httpGet handler means: scheme, host (the pod's IP by default), port, path, headers. */
    public static HttpGet.Request httpRequest(HTTPGetAction action, Container container, String podIp, Duration timeout)
            throws UnknownPortException {
        String scheme = Optional.ofNullable(action.getScheme()).orElse("HTTP").toLowerCase(Locale.ROOT);
        String host = action.getHost() == null || action.getHost().isEmpty() ? podIp : action.getHost();
        int port = resolvePort(action.getPort(), container);
        String path = Optional.ofNullable(action.getPath()).orElse("");
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        String authority = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        Map<String, String> headers = new LinkedHashMap<>();
        if (action.getHttpHeaders() != null) {
            for (HTTPHeader header : action.getHttpHeaders()) {
                headers.put(header.getName(), header.getValue() == null ? "" : header.getValue());
            }
        }
        return new HttpGet.Request(URI.create(scheme + "://" + authority + path), headers, timeout);
    }

    /** A number as is; a name through the container's ports ({@code couldn't find port} otherwise). */
    static int resolvePort(IntOrString port, Container container) throws UnknownPortException {
        if (port == null) {
            throw new UnknownPortException("missing port in handler of container " + container.getName());
        }
        if (port.getIntVal() != null) {
            return checked(port.getIntVal(), container);
        }
        String name = port.getStrVal();
        if (container.getPorts() != null) {
            for (ContainerPort p : container.getPorts()) {
                if (name.equals(p.getName())) {
                    return checked(p.getContainerPort(), container);
                }
            }
        }
        try {
            return checked(Integer.parseInt(name), container);
        } catch (NumberFormatException e) {
            throw new UnknownPortException("couldn't find port: " + name + " in container " + container.getName());
        }
    }

    private static int checked(int port, Container container) throws UnknownPortException {
        if (port <= 0 || port > 65535) {
            throw new UnknownPortException("invalid port number: " + port + " in container " + container.getName());
        }
        return port;
    }

    /** A handler names a port the container does not declare. */
    public static final class UnknownPortException extends Exception {
        UnknownPortException(String message) {
            super(message);
        }
    }
}
