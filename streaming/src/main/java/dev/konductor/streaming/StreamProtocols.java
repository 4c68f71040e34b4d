package dev.konductor.streaming;

/** The names on the wire that select Kubernetes' streaming protocols. */
public final class StreamProtocols {

    /** The request and response header naming the stream protocol (one version per header line). */
    public static final String VERSION_HEADER = "X-Stream-Protocol-Version";
    /** {@code Upgrade: SPDY/3.1}, every kubectl's exec, attach and port-forward fallback. */
    public static final String SPDY_31 = "SPDY/3.1";

    /** exec/attach over WebSocket with the stream-close signal; kubectl 1.30+ offers only this one. */
    public static final String REMOTECOMMAND_V5 = "v5.channel.k8s.io";
    /** exec/attach with an exit code in the error stream's Status: what container runtimes serve. */
    public static final String REMOTECOMMAND_V4 = "v4.channel.k8s.io";
    /** Port-forward over SPDY. */
    public static final String PORT_FORWARD = "portforward.k8s.io";
    /** A WebSocket subprotocol prefix: SPDY frames tunnelled in binary messages (kubectl 1.31+ port-forward). */
    public static final String SPDY_TUNNEL_PREFIX = "SPDY/3.1+";

    private StreamProtocols() {
    }
}
