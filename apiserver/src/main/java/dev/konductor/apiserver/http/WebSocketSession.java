package dev.konductor.apiserver.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One upgraded WebSocket connection, used with plain blocking calls from the request's virtual
 * thread: watches send each event as a text message; streaming subprotocols (exec and attach's
 * {@code v5.channel.k8s.io}) send and receive binary messages through a {@link Listener}.
 * Pings are answered and a peer's close is acknowledged here, whatever the subprotocol.
 *
 * <p>Sends block while the connection's outbound buffer is full, so a slow client slows its own
 * sender, not the server.
 */
public final class WebSocketSession implements AutoCloseable {

    /** Normal closure (RFC 6455 §7.4.1). */
    public static final int NORMAL_CLOSURE = 1000;
    /** The most kept from a client that talks before the server listens; then reading pauses until it does. */
    static final int MAX_EARLY_BYTES = 1024 * 1024;

    /** What arrives from the peer; called on a network thread, so implementations must not block. */
    public interface Listener {
        default void onText(String text) {
        }

        default void onBinary(byte[] data) {
        }

        /** The peer closed the session (or the connection dropped: code 1006). */
        default void onClose(int code, String reason) {
        }
    }

    private final Channel channel;
    private final String subprotocol;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set and read on the connection's event loop only, as are {@link #early} and {@link #earlyBytes}. */
    private Listener listener;
    /** What arrived before {@link #listen}: a client may talk first (kubectl cp sends stdin at once). */
    private final List<Consumer<Listener>> early = new ArrayList<>();
    private long earlyBytes;

    WebSocketSession(Channel channel, String subprotocol) {
        this.channel = channel;
        this.subprotocol = subprotocol;
    }

    /** The negotiated subprotocol ({@code v5.channel.k8s.io}), or null when none was. */
    public String subprotocol() {
        return subprotocol;
    }

    /**
     * Receives the peer's messages: first those that arrived since the upgrade, in order, then
     * the rest as they come. Call once.
     */
    public void listen(Listener listener) {
        channel.eventLoop().execute(() -> {
            this.listener = listener;
            if (earlyBytes > MAX_EARLY_BYTES) {
                channel.config().setAutoRead(true); // before the replay, which may pause it again
            }
            early.forEach(event -> event.accept(listener));
            early.clear();
            earlyBytes = 0;
        });
    }

    /** Hands an event to the listener, or keeps it until there is one; on the event loop. */
    private void deliver(Consumer<Listener> event, int size) {
        if (listener != null) {
            event.accept(listener);
            return;
        }
        early.add(event);
        earlyBytes += size;
        if (earlyBytes > MAX_EARLY_BYTES) {
            channel.config().setAutoRead(false);
        }
    }

    public boolean isOpen() {
        return !closed.get() && channel.isActive();
    }

    /**
     * Stops ({@code false}) or resumes reading from the connection: a consumer that falls behind
     * pushes back on its peer instead of queueing without bound.
     */
    public void reading(boolean on) {
        channel.config().setAutoRead(on);
    }

    /** Sends one text message (UTF-8); false once the session is closed. */
    public boolean sendText(byte[] utf8) {
        return send(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)));
    }

    public boolean sendText(String text) {
        return sendText(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends text messages (UTF-8), in order, with one flush; false once the session is closed. */
    public boolean sendTexts(java.util.List<byte[]> messages) {
        if (!isOpen()) {
            return false;
        }
        awaitWritable();
        for (byte[] utf8 : messages) {
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)));
        }
        channel.flush();
        return isOpen();
    }

    /** Sends one binary message; false once the session is closed. */
    public boolean sendBinary(byte[] data) {
        return send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
    }

    private boolean send(WebSocketFrame frame) {
        if (!isOpen()) {
            frame.release();
            return false;
        }
        awaitWritable();
        channel.writeAndFlush(frame);
        return isOpen();
    }

    /** Sends a close frame and closes the connection once it is written. */
    public void close(int code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }
        signal();
    }

    @Override
    public void close() {
        close(NORMAL_CLOSURE, "");
    }

    private void awaitWritable() {
        lock.lock();
        try {
            while (channel.isActive() && !channel.isWritable()) {
                writable.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
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

    /** The pipeline's last handler after the upgrade: control frames here, data to the listener. */
    ChannelInboundHandlerAdapter frameHandler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    switch (msg) {
                        case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                        case CloseWebSocketFrame close -> peerClosed(ctx, close);
                        case TextWebSocketFrame text -> {
                            String message = text.text();
                            deliver(l -> l.onText(message), message.length());
                        }
                        case BinaryWebSocketFrame binary -> {
                            byte[] message = ByteBufUtil.getBytes(binary.content());
                            deliver(l -> l.onBinary(message), message.length);
                        }
                        default -> {
                            // pongs, and anything a broken peer sends between messages
                        }
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
                if (closed.compareAndSet(false, true)) {
                    deliver(l -> l.onClose(1006, "connection lost"), 0);
                }
                signal();
                ctx.fireChannelInactive();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        };
    }

    private void peerClosed(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        int code = close.statusCode() < 0 ? NORMAL_CLOSURE : close.statusCode();
        String reason = close.reasonText() == null ? "" : close.reasonText();
        if (closed.compareAndSet(false, true)) {
            ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
            deliver(l -> l.onClose(code, reason), 0);
        } else {
            ctx.close(); // the peer acknowledged our close
        }
        signal();
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + channel.remoteAddress() + ", " + subprotocol + "]";
    }
}
