package dev.konductor.scheduler.plugins;

import dev.konductor.scheduler.framework.NodeInfo;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.Resources;

/**
 * What a node would have requested of one resource with the pod on it, as upstream's resource
 * allocation scorers see it: non-zero requests for LeastAllocated and MostAllocated (so pods
 * without requests still spread), actual requests for BalancedAllocation.
 */
record ResourceAllocation(long allocatable, long requested) {

    static ResourceAllocation of(NodeInfo node, PodInfo pod, String resource, boolean actualRequests) {
        long podRequest = (actualRequests ? pod.requests() : pod.nonZeroRequests()).get(resource);
        if (podRequest == 0 && Resources.isScalar(resource)) {
            // a pod that does not use an extended resource is not scored by it
            return new ResourceAllocation(0, 0);
        }
        Resources onNode = actualRequests || Resources.isScalar(resource) ? node.requested() : node.nonZeroRequested();
        if (resource.equals(Resources.EPHEMERAL_STORAGE)) {
            onNode = node.requested();
        }
        return new ResourceAllocation(node.allocatable().get(resource), onNode.get(resource) + podRequest);
    }
}
