package dev.konductor.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests sent through the client's own HTTP stack (same server, same credentials) whose answer
 * is read as a status code and raw bytes, never decoded into an object: requests the typed client
 * cannot express (a DELETE with a {@code uid} precondition, a deletecollection with a propagation
 * policy, {@code PUT /api/v1/namespaces/NAME/finalize}), and writes whose answer the writer does
 * not need (a pod status, an Event), where decoding the object the server sends back would be most
 * of the writer's cost. The caller reads the status code.
 */
public final class RawRequests {

    public static final String JSON = "application/json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

    private static final long TIMEOUT_SECONDS = 30;

    private final HttpClient http;
    private final String base;

    public RawRequests(KubernetesClient client) {
        this.http = client.getHttpClient();
        String url = client.getMasterUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The answer: its HTTP status code and body, left as bytes until asked for. */
    public record Response(int code, byte[] bytes) {
        public boolean ok() {
            return code >= 200 && code < 300;
        }

        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code method path} with {@code json} as the body (null: none for GET, {@code {}} otherwise). */
    public Response send(String method, String path, String json) {
        return send(method, path, JSON, method.equals("GET") ? null : json == null ? "{}" : json);
    }

    /** Sends {@code method path} with {@code body} of {@code contentType} (null: no body). */
    public Response send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = http.newHttpRequestBuilder().uri(base + path)
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).header("Accept", JSON);
        if (body != null) {
            request.method(method, contentType, body);
        } else if (!method.equals("GET")) {
            request.method(method, JSON, "");
        }
        try {
            HttpResponse<byte[]> response = http.sendAsync(request.build(), byte[].class)
                    .get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
            byte[] bytes = response.body();
            return new Response(response.code(), bytes == null ? new byte[0] : bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted: " + method + " " + path, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException(method + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** {@code /api/v1/namespaces/NAMESPACE/RESOURCE[/NAME[/SUBRESOURCE]]}, for core/v1 objects. */
    public static String corePath(String namespace, String resource, String... nameAndSubresource) {
        StringBuilder path = new StringBuilder("/api/v1/namespaces/").append(namespace).append('/').append(resource);
        for (String part : nameAndSubresource) {
            path.append('/').append(part);
        }
        return path.toString();
    }
}
