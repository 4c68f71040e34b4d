package dev.konductor.apiserver.streaming;

import dev.konductor.streaming.UpgradeProxy;

/**
 * Where one pod stream goes: the kubelet's endpoint for it and how to connect there.
 *
 * @param session what the stream is, for logs ({@code exec default/web/app})
 * @param kubelet the kubelet's {@code host:port}, for messages
 * @param target  the kubelet's path and query ({@code /exec/default/web/app?command=ls&output=1})
 * @param dialer  opens an authenticated connection to the kubelet
 */
public record KubeletStream(String session, String kubelet, String target, UpgradeProxy.Dialer dialer) {
}
