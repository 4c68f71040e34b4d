package dev.konductor.streaming.spdy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.io.ByteArrayOutputStream;

/**
 * Encodes {@link SpdyFrame}s to SPDY/3.1 wire bytes with Netty's codec (header blocks zlib-
 * compressed with the SPDY/3 dictionary). The header compressor keeps state across frames, so
 * one encoder serves one connection and one thread at a time.
 */
public final class SpdyEncoder implements AutoCloseable {

    private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

    public byte[] encode(SpdyFrame frame) {
        Object netty = switch (frame) {
            case SpdyFrame.SynStream syn -> {
                DefaultSpdySynStreamFrame f = new DefaultSpdySynStreamFrame(syn.streamId(), 0, (byte) 0);
                syn.headers().forEach((name, value) -> f.headers().set(name, value));
                f.setLast(syn.last());
                yield f;
            }
            case SpdyFrame.SynReply reply -> {
                DefaultSpdySynReplyFrame f = new DefaultSpdySynReplyFrame(reply.streamId());
                reply.headers().forEach((name, value) -> f.headers().set(name, value));
                f.setLast(reply.last());
                yield f;
            }
            case SpdyFrame.Data data -> new DefaultSpdyDataFrame(data.streamId(), Unpooled.wrappedBuffer(data.data()))
                    .setLast(data.last());
            case SpdyFrame.RstStream rst -> new DefaultSpdyRstStreamFrame(rst.streamId(), rst.status());
            case SpdyFrame.Ping ping -> new DefaultSpdyPingFrame(ping.id());
            case SpdyFrame.GoAway goAway -> new DefaultSpdyGoAwayFrame(goAway.lastGoodStreamId());
            case SpdyFrame.Ignored ignored -> throw new IllegalArgumentException("not encodable: " + ignored.type());
        };
        codec.writeOutbound(netty);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = codec.readOutbound()) != null; ) {
            try {
                out.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        codec.finishAndReleaseAll();
    }
}
