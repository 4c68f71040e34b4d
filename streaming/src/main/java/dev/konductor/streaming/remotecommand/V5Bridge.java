package dev.konductor.streaming.remotecommand;

import dev.konductor.streaming.spdy.SpdyFrame;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates one exec or attach session between a WebSocket client speaking
 * {@code v5.channel.k8s.io} and a SPDY server speaking {@code v4.channel.k8s.io} (what
 * container runtimes serve), as upstream's API server does since 1.30 ("StreamTranslator").
 * Pure: it turns messages and frames into messages and frames; the caller does the I/O, with
 * one thread feeding the client's messages and another the server's frames (the methods are
 * synchronized for that).
 *
 * <ul>
 *   <li>Towards the server: one SPDY stream per channel, opened by {@link #open()}; a client
 *       message {@code [channel, data...]} becomes data on that stream, and v5's close signal
 *       {@code [255, channel]} half-closes it (stdin EOF: {@code kubectl cp} into a pod waits on it).
 *   <li>Towards the client: stdout and stderr data become {@code [1, ...]} and {@code [2, ...]}
 *       messages. The error stream (a v4 Status with the exit code) is collected, for the caller
 *       to send as one {@code [3, ...]} message once the session is {@link #finished()}.
 * </ul>
 */
public final class V5Bridge {

    /** What the server's frames call for: messages to the client, frames back to the server. */
    public record Reaction(List<byte[]> toClient, List<SpdyFrame> toServer) {
        static final Reaction NONE = new Reaction(List.of(), List.of());
    }

    /** SPDY/3 RST_STREAM status for a stream the receiver will not process. */
    static final int REFUSED_STREAM = 3;

    private final StreamOptions options;
    private final Map<Integer, Integer> streamByChannel = new HashMap<>();
    private final Map<Integer, String> typeByStream = new HashMap<>();
    /** Streams the server may still write on (error, stdout, stderr) and has not ended. */
    private final Set<Integer> serverOpen = new HashSet<>();
    /** Streams this side has half-closed or the server has reset: nothing more goes out on them. */
    private final Set<Integer> clientClosed = new HashSet<>();
    private final ByteArrayOutputStream errorStream = new ByteArrayOutputStream();
    private boolean goneAway;

    public V5Bridge(StreamOptions options) {
        this.options = options;
    }

    /** The SYN_STREAM frames that open the session's streams (client stream ids 1, 3, 5, ...). */
    public synchronized List<SpdyFrame> open() {
        List<SpdyFrame> frames = new ArrayList<>();
        int id = 1;
        for (String type : options.streamTypes()) {
            streamByChannel.put(StreamType.channel(type), id);
            typeByStream.put(id, type);
            if (!type.equals(StreamType.STDIN) && !type.equals(StreamType.RESIZE)) {
                serverOpen.add(id);
            }
            frames.add(new SpdyFrame.SynStream(id, Map.of(StreamType.HEADER, type), false));
            id += 2;
        }
        return frames;
    }

    /** The frames for one binary message from the client; unknown channels and empty data are dropped. */
    public synchronized List<SpdyFrame> fromClient(byte[] message) {
        if (message.length == 0) {
            return List.of();
        }
        int channel = message[0] & 0xff;
        if (channel == StreamType.CLOSE_CHANNEL) {
            if (message.length < 2) {
                return List.of();
            }
            Integer stream = streamByChannel.get(message[1] & 0xff);
            if (stream == null || !clientClosed.add(stream)) {
                return List.of();
            }
            return List.of(new SpdyFrame.Data(stream, new byte[0], true));
        }
        Integer stream = streamByChannel.get(channel);
        boolean writable = channel == StreamType.channel(StreamType.STDIN) || channel == StreamType.channel(StreamType.RESIZE);
        if (stream == null || !writable || message.length == 1 || clientClosed.contains(stream)) {
            return List.of();
        }
        byte[] data = new byte[message.length - 1];
        System.arraycopy(message, 1, data, 0, data.length);
        return List.of(new SpdyFrame.Data(stream, data, false));
    }

    /** What one frame from the server calls for. */
    public synchronized Reaction fromServer(SpdyFrame frame) {
        return switch (frame) {
            case SpdyFrame.Data data -> fromServerData(data);
            case SpdyFrame.RstStream rst -> {
                serverOpen.remove(rst.streamId());
                clientClosed.add(rst.streamId());
                yield Reaction.NONE;
            }
            // Go's spdystream answers pings; a server that sends one expects the same of us.
            case SpdyFrame.Ping ping -> new Reaction(List.of(), List.of(ping));
            case SpdyFrame.GoAway ignored -> {
                goneAway = true;
                yield Reaction.NONE;
            }
            case SpdyFrame.SynStream push -> new Reaction(List.of(), List.of(new SpdyFrame.RstStream(push.streamId(),
                    REFUSED_STREAM)));
            case SpdyFrame.SynReply ignored -> Reaction.NONE;
            case SpdyFrame.Ignored ignored -> Reaction.NONE;
        };
    }

    private Reaction fromServerData(SpdyFrame.Data data) {
        String type = typeByStream.get(data.streamId());
        List<byte[]> out = new ArrayList<>(1);
        if (type != null && data.data().length > 0) {
            switch (type) {
                case StreamType.ERROR -> errorStream.writeBytes(data.data());
                case StreamType.STDOUT, StreamType.STDERR -> out.add(message(StreamType.channel(type), data.data()));
                default -> {
                    // the server has nothing to say on stdin or resize
                }
            }
        }
        if (data.last()) {
            serverOpen.remove(data.streamId());
        }
        return out.isEmpty() ? Reaction.NONE : new Reaction(out, List.of());
    }

    /** Whether the server has ended its side: the error stream and every output stream, or the whole session. */
    public synchronized boolean finished() {
        return goneAway || serverOpen.isEmpty();
    }

    /** What the server wrote on the error stream: a v4 Status (which v5 clients read alike), or nothing. */
    public synchronized byte[] errorStream() {
        return errorStream.toByteArray();
    }

    /** The error-channel message carrying {@code status}, for the caller to send last. */
    public static byte[] errorMessage(byte[] status) {
        return message(StreamType.channel(StreamType.ERROR), status);
    }

    private static byte[] message(int channel, byte[] data) {
        byte[] message = new byte[data.length + 1];
        message[0] = (byte) channel;
        System.arraycopy(data, 0, message, 1, data.length);
        return message;
    }
}
