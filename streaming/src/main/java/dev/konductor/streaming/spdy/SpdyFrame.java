package dev.konductor.streaming.spdy;

import java.util.Map;

/**
 * The SPDY/3.1 frames the Kubernetes stream protocols use, as plain values (no reference-counted
 * buffers escape {@link SpdyEncoder} and {@link SpdyDecoder}). Header names are lower case, as
 * SPDY/3 requires.
 */
public sealed interface SpdyFrame {

    /** Opens a stream; in Kubernetes the client opens one per channel ({@code streamtype: stdout}). */
    record SynStream(int streamId, Map<String, String> headers, boolean last) implements SpdyFrame {
        public SynStream {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * Answers a SYN_STREAM. A reply with no headers is encoded with an empty header block, which
     * Go's spdystream cannot read (it expects a compressed count of zero): a server replies with
     * at least one header.
     */
    record SynReply(int streamId, Map<String, String> headers, boolean last) implements SpdyFrame {
        public SynReply {
            headers = Map.copyOf(headers);
        }

        public SynReply(int streamId, boolean last) {
            this(streamId, Map.of(), last);
        }
    }

    /** Data on a stream; {@code last} half-closes the stream from the sender's side (stdin EOF). */
    record Data(int streamId, byte[] data, boolean last) implements SpdyFrame {
    }

    record RstStream(int streamId, int status) implements SpdyFrame {
    }

    record Ping(int id) implements SpdyFrame {
    }

    record GoAway(int lastGoodStreamId) implements SpdyFrame {
    }

    /** SETTINGS, WINDOW_UPDATE, HEADERS: nothing here acts on them (Go's spdystream does no flow control). */
    record Ignored(String type) implements SpdyFrame {
    }
}
