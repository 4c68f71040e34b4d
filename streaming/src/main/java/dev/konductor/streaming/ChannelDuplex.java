package dev.konductor.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Netty server connection taken over after an HTTP upgrade: its HTTP handlers are removed and
 * from then on it carries raw bytes (SPDY, a WebSocket relayed as is) for blocking code on
 * virtual threads. Writes wait while the outbound buffer is full, reads pause the connection's
 * reading while too much is queued ({@link InboundQueue}).
 */
public final class ChannelDuplex implements Duplex {

    private static final String HANDLER = "raw-duplex";

    private final Channel channel;
    private final InboundQueue inbound;
    private final InputStream input;
    private final OutputStream output = new ChannelOutput();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChannelDuplex(Channel channel) {
        this.channel = channel;
        this.inbound = new InboundQueue(on -> channel.config().setAutoRead(on));
        this.input = new QueueInputStream(inbound);
    }

    /**
     * Takes {@code channel} over: adds the raw handler at the end of its pipeline, then removes
     * the named handlers (the HTTP codec, aggregator and dispatcher), so bytes a decoder still
     * holds reach the raw handler. Nothing must be written through the HTTP codec afterwards.
     */
    public static ChannelDuplex takeOver(Channel channel, List<String> httpHandlers) {
        ChannelDuplex duplex = new ChannelDuplex(channel);
        channel.eventLoop().submit(() -> {
            ChannelPipeline pipeline = channel.pipeline();
            pipeline.addLast(HANDLER, duplex.new RawHandler());
            for (String name : httpHandlers) {
                if (pipeline.get(name) != null) {
                    pipeline.remove(name);
                }
            }
            if (!channel.isActive()) {
                duplex.inbound.end();
            }
        }).syncUninterruptibly();
        return duplex;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    /** Closes once everything written so far has gone out (a final status must not be cut off). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            inbound.end();
            if (channel.isActive()) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            signal();
        }
    }

    private void signal() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitWritable() throws IOException {
        lock.lock();
        try {
            while (channel.isActive() && !channel.isWritable() && !closed.get()) {
                writable.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        } finally {
            lock.unlock();
        }
        if (closed.get() || !channel.isActive()) {
            throw new IOException("connection closed");
        }
    }

    @Override
    public String toString() {
        return "ChannelDuplex[" + channel.remoteAddress() + "]";
    }

    private final class ChannelOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            awaitWritable();
            channel.writeAndFlush(Unpooled.copiedBuffer(b, off, len));
        }
    }

    private final class RawHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    inbound.offer(ByteBufUtil.getBytes(bytes));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            signal();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inbound.end();
            signal();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
