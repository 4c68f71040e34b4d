package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.streaming.KubeletStream;
import dev.konductor.apiserver.streaming.StreamProxy;
import dev.konductor.apiserver.watchcache.CachedObject;
import dev.konductor.streaming.remotecommand.StreamOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}: checks the request as
 * upstream's pod REST does (a completed pod, the container, a pod not on a node yet), then hands
 * the session to the kubelet of the pod's node at {@code /exec/NS/POD/CONTAINER},
 * {@code /attach/NS/POD/CONTAINER} or {@code /portForward/NS/POD}, with the kubelet's own
 * parameter names ({@code input=1&output=1&error=1&tty=1&command=...}, {@code port=80}).
 */
final class PodStreams {

    private final ObjectStorage storage;
    private final ResourceType nodeType;
    private final KubeletClient kubelets;

    PodStreams(ObjectStorage storage, ResourceType nodeType, KubeletClient kubelets) {
        this.storage = storage;
        this.nodeType = nodeType;
        this.kubelets = kubelets;
    }

    void handle(RequestContext ctx, CachedObject podObject, String subresource) {
        HttpExchange exchange = ctx.exchange();
        if (!exchange.method().equals("GET") && !exchange.method().equals("POST")) {
            throw StatusException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        JsonNode pod = podObject.object();
        String name = ctx.name();
        StreamProxy.Kind kind = switch (subresource) {
            case "exec" -> StreamProxy.Kind.EXEC;
            case "attach" -> StreamProxy.Kind.ATTACH;
            default -> StreamProxy.Kind.PORT_FORWARD;
        };
        StreamOptions options = new StreamOptions(flag(exchange, "stdin"), flag(exchange, "stdout"),
                flag(exchange, "stderr"), flag(exchange, "tty"));
        String target;
        if (kind == StreamProxy.Kind.PORT_FORWARD) {
            target = "/portForward/" + encode(ctx.namespace()) + "/" + encode(name) + ports(exchange);
        } else {
            refuseCompleted(pod, kind);
            String container = PodLogs.container(pod, name, exchange.param("container"));
            if (!options.any()) {
                throw StatusException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
            }
            List<String> command = exchange.params("command");
            if (kind == StreamProxy.Kind.EXEC && command.isEmpty()) {
                throw StatusException.badRequest("you must specify at least one command for the container");
            }
            target = "/" + subresource + "/" + encode(ctx.namespace()) + "/" + encode(name) + "/" + encode(container)
                    + remoteCommandQuery(kind == StreamProxy.Kind.EXEC ? command : List.of(), options);
        }
        KubeletAddress kubelet = KubeletAddress.of(storage, nodeType, pod, name);
        StreamProxy.serve(exchange, kind, options, new KubeletStream(subresource + " " + ctx.namespace() + "/" + name,
                kubelet.authority(), target, () -> kubelets.connect(kubelet.host(), kubelet.port())));
    }

    /** A pod that has run to completion has no process to join (kubectl checks this too, before asking). */
    private static void refuseCompleted(JsonNode pod, StreamProxy.Kind kind) {
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            throw StatusException.badRequest((kind == StreamProxy.Kind.EXEC ? "cannot exec into a container"
                    : "cannot attach a container") + " in a completed pod; current phase is " + phase);
        }
    }

    private static boolean flag(HttpExchange exchange, String name) {
        return StreamOptions.flag(exchange.param(name));
    }

    static String remoteCommandQuery(List<String> command, StreamOptions options) {
        List<String> params = new ArrayList<>();
        command.forEach(c -> params.add("command=" + encode(c)));
        if (options.stdin()) {
            params.add("input=1");
        }
        if (options.stdout()) {
            params.add("output=1");
        }
        if (options.stderr()) {
            params.add("error=1");
        }
        if (options.tty()) {
            params.add("tty=1");
        }
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    /** WebSocket clients name their ports up front ({@code ports=80,8080}); SPDY clients per stream. */
    private static String ports(HttpExchange exchange) {
        List<String> params = new ArrayList<>();
        for (String value : exchange.params("ports")) {
            for (String port : value.split(",")) {
                if (!port.isBlank()) {
                    params.add("port=" + encode(port.strip()));
                }
            }
        }
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
