package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.storage.Keys;
import dev.konductor.apiserver.storage.ObjectStorage;
import dev.konductor.apiserver.watchcache.CachedObject;

/**
 * The kubelet serving a pod: its Node's preferred address and
 * {@code status.daemonEndpoints.kubeletEndpoint.Port}, with upstream's words when there is none.
 */
record KubeletAddress(String host, int port) {

    static KubeletAddress of(ObjectStorage storage, ResourceType nodeType, JsonNode pod, String podName) {
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (nodeName.isEmpty()) {
            throw StatusException.badRequest("pod " + podName + " does not have a host assigned");
        }
        CachedObject node = storage.get(nodeType, Keys.key(nodeType, null, nodeName));
        if (node == null) {
            throw StatusException.badRequest("node \"" + nodeName + "\" of pod " + podName + " not found");
        }
        String host = PodLogs.address(node.object());
        int port = node.object().path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        if (host == null || port <= 0) {
            throw StatusException.badRequest("node \"" + nodeName + "\" publishes no kubelet endpoint");
        }
        return new KubeletAddress(host, port);
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    String authority() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
