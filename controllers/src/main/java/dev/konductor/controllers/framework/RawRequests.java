package dev.konductor.controllers.framework;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * JSON requests the typed client cannot express, sent through the client's own HTTP stack (same
 * server, same credentials): a DELETE with a {@code uid} precondition, a deletecollection with a
 * propagation policy, {@code PUT /api/v1/namespaces/NAME/finalize}. The caller reads the status code.
 */
public final class RawRequests {

    private static final long TIMEOUT_SECONDS = 30;

    private final HttpClient http;
    private final String base;

    public RawRequests(KubernetesClient client) {
        this.http = client.getHttpClient();
        String url = client.getMasterUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The answer: its HTTP status code and body. */
    public record Response(int code, String body) {
        public boolean ok() {
            return code >= 200 && code < 300;
        }
    }

    /** Sends {@code method path} with {@code json} as the body (null: none for GET, {@code {}} otherwise). */
    public Response send(String method, String path, String json) {
        HttpRequest.Builder request = http.newHttpRequestBuilder().uri(base + path)
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).header("Accept", "application/json");
        if (!method.equals("GET")) {
            request.method(method, "application/json", json == null ? "{}" : json);
        }
        try {
            HttpResponse<String> response = http.sendAsync(request.build(), String.class)
                    .get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
            return new Response(response.code(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted: " + method + " " + path, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException(method + " " + path + " failed: " + e.getMessage(), e);
        }
    }
}
