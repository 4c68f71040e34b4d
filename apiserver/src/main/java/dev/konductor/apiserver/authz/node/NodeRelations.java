package dev.konductor.apiserver.authz.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the Node authorizer needs to know of the cluster to tell which objects a node's pods use:
 * upstream keeps a graph of pods, nodes and their secrets, config maps, claims and volumes; here
 * the API server's cache (with its index of pods by node) answers the same questions.
 */
public interface NodeRelations {

    /** The pods bound to {@code node} in {@code namespace}. */
    List<JsonNode> podsOn(String node, String namespace);

    /** Every pod bound to {@code node}. */
    List<JsonNode> podsOn(String node);

    /** The claim, or null. */
    JsonNode persistentVolumeClaim(String namespace, String name);
}
