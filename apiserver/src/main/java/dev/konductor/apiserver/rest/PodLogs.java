package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET pods/NAME/log}: checks the request as upstream's pod log REST does (the container,
 * the pod's node, a container still waiting to start), then streams
 * {@code /containerLogs/NAMESPACE/NAME/CONTAINER} from the kubelet of the pod's node, found in
 * the Node's addresses and {@code status.daemonEndpoints.kubeletEndpoint.Port}.
 */
final class PodLogs {

    private static final List<String> PASSED_ON = List.of("follow", "previous", "sinceSeconds", "sinceTime", "timestamps",
            "tailLines", "limitBytes");

    private final ObjectStorage storage;
    private final ResourceType nodeType;
    private final KubeletClient kubelets;

    PodLogs(ObjectStorage storage, ResourceType nodeType, KubeletClient kubelets) {
        this.storage = storage;
        this.nodeType = nodeType;
        this.kubelets = kubelets;
    }

    void handle(RequestContext ctx, CachedObject podObject) {
        HttpExchange exchange = ctx.exchange();
        if (!exchange.method().equals("GET")) {
            throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        JsonNode pod = podObject.object();
        String name = ctx.name();
        String container = container(pod, name, exchange.param("container"));
        validateNumbers(exchange);
        boolean previous = "true".equals(exchange.param("previous"));
        if (!previous) {
            String waiting = waitingReason(pod, container);
            if (waiting != null) {
                throw StatusException.badRequest("container \"" + container + "\" in pod \"" + name
                        + "\" is waiting to start: " + waiting);
            }
        }
        KubeletAddress kubelet = KubeletAddress.of(storage, nodeType, pod, name);
        String host = kubelet.host();
        int port = kubelet.port();
        String path = "/containerLogs/" + encode(ctx.namespace()) + "/" + encode(name) + "/" + encode(container)
                + query(exchange);
        HttpResponse<InputStream> response;
        try {
            response = kubelets.get(host, port, path);
        } catch (IOException e) {
            throw StatusException.internal("Get \"https://" + host + ":" + port + path + "\": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StatusException.internal("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                String text = new String(body.readNBytes(4096), StandardCharsets.UTF_8).strip();
                throw StatusException.badRequest(text.isEmpty() ? "kubelet answered " + response.statusCode() : text);
            }
            try (HttpExchange.ResponseStream out = exchange.startStream(200, "text/plain")) {
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    if (n > 0 && !out.write(Arrays.copyOf(buffer, n))) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            if (!exchange.responded()) {
                throw StatusException.internal("reading the kubelet's log stream: " + e.getMessage());
            }
            // the stream broke after it started: the client sees the log end
        }
    }

    /** The container asked for, or the only one; upstream's messages otherwise. */
    static String container(JsonNode pod, String podName, String requested) {
        List<String> names = new ArrayList<>();
        for (String field : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
            pod.path("spec").path(field).forEach(c -> names.add(c.path("name").asText()));
        }
        if (requested == null || requested.isEmpty()) {
            JsonNode containers = pod.path("spec").path("containers");
            if (containers.size() == 1) {
                return containers.get(0).path("name").asText();
            }
            throw StatusException.badRequest("a container name must be specified for pod " + podName
                    + ", choose one of: [" + String.join(" ", names) + "]");
        }
        if (!names.contains(requested)) {
            throw StatusException.badRequest("container " + requested + " is not valid for pod " + podName);
        }
        return requested;
    }

    /** The waiting reason of a container that has never run, or null. */
    static String waitingReason(JsonNode pod, String container) {
        for (String field : new String[] {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
            for (JsonNode status : pod.path("status").path(field)) {
                if (status.path("name").asText().equals(container)) {
                    JsonNode waiting = status.path("state").path("waiting");
                    boolean ranBefore = status.path("lastState").has("terminated");
                    if (waiting.isObject() && !ranBefore) {
                        return waiting.path("reason").asText("");
                    }
                    return null;
                }
            }
        }
        return "ContainerCreating";
    }

    /** InternalIP first, then Hostname and the rest in the order upstream prefers them. */
    static String address(JsonNode node) {
        for (String type : new String[] {"InternalIP", "Hostname", "InternalDNS", "ExternalIP", "ExternalDNS"}) {
            for (JsonNode address : node.path("status").path("addresses")) {
                if (address.path("type").asText().equals(type) && !address.path("address").asText().isEmpty()) {
                    return address.path("address").asText();
                }
            }
        }
        return null;
    }

    private static void validateNumbers(HttpExchange exchange) {
        positive(exchange, "sinceSeconds", 1, "must be greater than 0");
        positive(exchange, "tailLines", 0, "must be greater than or equal to 0");
        positive(exchange, "limitBytes", 1, "must be greater than 0");
    }

    private static void positive(HttpExchange exchange, String name, long min, String message) {
        String value = exchange.param(name);
        if (value == null) {
            return;
        }
        try {
            if (Long.parseLong(value) < min) {
                throw StatusException.badRequest(name + ": Invalid value: " + value + ": " + message);
            }
        } catch (NumberFormatException e) {
            throw StatusException.badRequest(name + ": Invalid value: \"" + value + "\": not a number");
        }
    }

    private static String query(HttpExchange exchange) {
        StringBuilder query = new StringBuilder();
        for (String name : PASSED_ON) {
            String value = exchange.param(name);
            if (value != null) {
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=').append(encode(value));
            }
        }
        return query.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
