package dev.konductor.kubelet.server;

import dev.konductor.streaming.HttpHead;
import dev.konductor.streaming.UpgradeProxy;

/** Serves the kubelet's streaming endpoints ({@code /exec}, {@code /attach}, {@code /portForward}). */
@FunctionalInterface
public interface StreamingHandler {

    /**
     * Answers {@code client} in every case: a refusal, or the switch to the streaming protocol
     * followed by the session itself. Blocks until the session ends.
     *
     * @param request the API server's request head, as it came (method, target, upgrade headers)
     */
    void serve(HttpHead request, UpgradeProxy.Downstream client);
}
