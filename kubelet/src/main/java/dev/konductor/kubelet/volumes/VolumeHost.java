package dev.konductor.kubelet.volumes;

import dev.konductor.kubelet.objects.ObjectSource;
import dev.konductor.kubelet.token.TokenManager;
import java.time.Clock;

/** What volume plugins reach on the node (upstream's VolumeHost): the pod directories, the API objects, tokens, mounts. */
public record VolumeHost(PodDirectories dirs, ObjectSource objects, TokenManager tokens, Mounter mounter, Clock clock) {
}
