package dev.konductor.kubelet.token;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** TokenRequest through the kubelet's API client. */
public final class ApiTokenRequester implements TokenRequester {

    private final KubernetesClient client;

    public ApiTokenRequester(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public TokenRequest request(String namespace, String serviceAccount, TokenRequest request) throws Failed {
        try {
            TokenRequest answer = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request);
            if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null) {
                throw new Failed("the server returned no token");
            }
            return answer;
        } catch (KubernetesClientException e) {
            throw new Failed(message(e));
        }
    }

    /** What the server said (its Status message), as client-go's error would read. */
    static String message(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isEmpty()) {
            return e.getStatus().getMessage();
        }
        if (e.getCode() == 404) {
            return "the server could not find the requested resource";
        }
        return e.getMessage();
    }
}
