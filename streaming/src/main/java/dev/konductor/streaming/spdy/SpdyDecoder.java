package dev.konductor.streaming.spdy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes SPDY/3.1 wire bytes, fed in whatever pieces the network delivers, into
 * {@link SpdyFrame}s. Stateful (partial frames, the header decompressor): one decoder per
 * connection, used by one thread at a time.
 */
public final class SpdyDecoder implements AutoCloseable {

    private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

    /** The frames completed by these bytes; a protocol error (the peer is not speaking SPDY) throws. */
    public List<SpdyFrame> decode(byte[] bytes, int offset, int length) throws IOException {
        try {
            codec.writeInbound(Unpooled.copiedBuffer(bytes, offset, length));
        } catch (Exception e) { // Netty rethrows the codec's checked SpdyProtocolException as is
            throw new IOException("invalid SPDY data: " + e.getMessage(), e);
        }
        List<SpdyFrame> frames = new ArrayList<>();
        for (Object frame; (frame = codec.readInbound()) != null; ) {
            try {
                frames.add(convert(frame));
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }
        return frames;
    }

    private static SpdyFrame convert(Object frame) throws IOException {
        return switch (frame) {
            case SpdyDataFrame data -> new SpdyFrame.Data(data.streamId(), ByteBufUtil.getBytes(data.content()), data.isLast());
            case SpdySynStreamFrame syn -> {
                if (syn.isInvalid()) {
                    throw new IOException("invalid SPDY header block on stream " + syn.streamId());
                }
                yield new SpdyFrame.SynStream(syn.streamId(), headers(syn), syn.isLast());
            }
            case SpdySynReplyFrame reply -> new SpdyFrame.SynReply(reply.streamId(), headers(reply), reply.isLast());
            case SpdyRstStreamFrame rst -> new SpdyFrame.RstStream(rst.streamId(), rst.status().code());
            case SpdyPingFrame ping -> new SpdyFrame.Ping(ping.id());
            case SpdyGoAwayFrame goAway -> new SpdyFrame.GoAway(goAway.lastGoodStreamId());
            default -> new SpdyFrame.Ignored(frame.getClass().getSimpleName());
        };
    }

    private static Map<String, String> headers(SpdyHeadersFrame frame) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<CharSequence, CharSequence> h : frame.headers()) {
            headers.putIfAbsent(h.getKey().toString(), h.getValue().toString());
        }
        return headers;
    }

    @Override
    public void close() {
        codec.finishAndReleaseAll();
    }
}
