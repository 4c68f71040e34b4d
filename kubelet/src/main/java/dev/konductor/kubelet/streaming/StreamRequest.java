package dev.konductor.kubelet.streaming;

import dev.konductor.streaming.remotecommand.StreamOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A streaming request to the kubelet, in upstream's URL shapes (the API server's requests):
 * {@code /exec/NS/POD[/UID]/CONTAINER?command=...&input=1&output=1&error=1&tty=1},
 * {@code /attach/NS/POD[/UID]/CONTAINER?...} and {@code /portForward/NS/POD[/UID][?port=80]}.
 */
public sealed interface StreamRequest {

    String namespace();

    String pod();

    /** The pod's UID when the caller pinned it (a pod recreated under the same name is another pod). */
    Optional<String> uid();

    record Exec(String namespace, String pod, Optional<String> uid, String container, List<String> command,
                StreamOptions streams) implements StreamRequest {
    }

    record Attach(String namespace, String pod, Optional<String> uid, String container, StreamOptions streams)
            implements StreamRequest {
    }

    /** {@code ports} only for WebSocket clients, which name them up front; SPDY clients name one per stream. */
    record PortForward(String namespace, String pod, Optional<String> uid, List<Integer> ports) implements StreamRequest {
    }

    /** Thrown for a request the kubelet cannot serve as asked; the message is for the user. */
    final class BadRequest extends Exception {
        public BadRequest(String message) {
            super(message);
        }
    }

    static StreamRequest parse(String path, Map<String, List<String>> query) throws BadRequest {
        List<String> parts = new ArrayList<>();
        for (String part : path.substring(1).split("/")) {
            parts.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
        }
        String kind = parts.getFirst();
        int size = parts.size();
        if (kind.equals("portForward") && (size == 3 || size == 4)) {
            return new PortForward(parts.get(1), parts.get(2), size == 4 ? Optional.of(parts.get(3)) : Optional.empty(),
                    ports(query.getOrDefault("port", List.of())));
        }
        if ((kind.equals("exec") || kind.equals("attach")) && (size == 4 || size == 5)) {
            Optional<String> uid = size == 5 ? Optional.of(parts.get(3)) : Optional.empty();
            String container = parts.get(size - 1);
            StreamOptions streams = new StreamOptions(flag(query, "input"), flag(query, "output"), flag(query, "error"),
                    flag(query, "tty"));
            if (!streams.any()) {
                throw new BadRequest("you must specify at least 1 of stdin, stdout, stderr");
            }
            if (kind.equals("attach")) {
                return new Attach(parts.get(1), parts.get(2), uid, container, streams);
            }
            List<String> command = query.getOrDefault("command", List.of());
            if (command.isEmpty()) {
                throw new BadRequest("you must specify at least one command for the container");
            }
            return new Exec(parts.get(1), parts.get(2), uid, container, List.copyOf(command), streams);
        }
        throw new BadRequest("unknown streaming path " + path);
    }

    private static boolean flag(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values != null && !values.isEmpty() && StreamOptions.flag(values.getFirst());
    }

    private static List<Integer> ports(List<String> values) throws BadRequest {
        List<Integer> ports = new ArrayList<>();
        for (String value : values) {
            if (value.isEmpty()) {
                throw new BadRequest("query parameter \"port\" cannot be empty");
            }
            for (String p : value.split(",")) {
                int port;
                try {
                    port = Integer.parseInt(p.strip());
                } catch (NumberFormatException e) {
                    throw new BadRequest("unable to parse \"" + value + "\" as a port");
                }
                if (port < 1 || port > 65535) {
                    throw new BadRequest("port \"" + value + "\" must be > 0 and < 65536");
                }
                ports.add(port);
            }
        }
        return List.copyOf(ports);
    }
}
