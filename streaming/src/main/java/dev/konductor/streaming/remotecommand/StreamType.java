package dev.konductor.streaming.remotecommand;

import java.util.Map;

/**
 * The remotecommand streams: SPDY names each by a {@code streamtype} header on the stream,
 * WebSocket ({@code v4}/{@code v5.channel.k8s.io}) by a channel number in a message's first byte.
 */
public final class StreamType {

    /** The SPDY header naming a stream's type (lower case on the wire, as SPDY/3 wants). */
    public static final String HEADER = "streamtype";

    public static final String STDIN = "stdin";
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";
    public static final String ERROR = "error";
    public static final String RESIZE = "resize";

    /** v5's "this channel is done" message: {@code [255, channel]}, e.g. stdin's EOF. */
    public static final int CLOSE_CHANNEL = 255;

    private static final Map<String, Integer> CHANNELS = Map.of(STDIN, 0, STDOUT, 1, STDERR, 2, ERROR, 3, RESIZE, 4);

    private StreamType() {
    }

    /** The WebSocket channel number of a stream type. */
    public static int channel(String type) {
        Integer channel = CHANNELS.get(type);
        if (channel == null) {
            throw new IllegalArgumentException("unknown stream type: " + type);
        }
        return channel;
    }
}
