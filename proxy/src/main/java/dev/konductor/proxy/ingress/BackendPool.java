package dev.konductor.proxy.ingress;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive HTTP/1.1 connections to backends, for one event loop. Every frontend connection
 * served by that loop takes its backend connections from here, and the backend channels are
 * registered on the same loop, so a whole exchange runs on one thread with no locks and no
 * hand-over between threads. Not thread-safe: call it on its loop only.
 *
 * <p>An idle connection is closed after the idle timeout, or earlier by the backend; one that
 * the backend closed is noticed (inactive) and dropped when taken.
 */
final class BackendPool {

    /** What a backend connection reports to the exchange that holds it. */
    interface Listener {
        void backendRead(HttpObject message);

        void backendReadComplete();

        void backendClosed();

        void backendWritabilityChanged();

        /** No byte came from the backend for the response timeout. */
        void backendTimedOut();
    }

    /** Called once a connection is ready, fresh or taken from the pool. */
    interface Acquired {
        void ready(Channel channel, boolean reused);

        void failed(Throwable cause);
    }

    static final int MAX_IDLE_PER_BACKEND = 64;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Map<InetSocketAddress, ArrayDeque<Channel>> idle = new HashMap<>();

    BackendPool(EventLoop loop, Duration connectTimeout, Duration responseTimeout) {
        this.loop = loop;
        long timeoutMillis = responseTimeout.toMillis();
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new HttpClientCodec(4096, 64 * 1024, 64 * 1024),
                                new IdleStateHandler(timeoutMillis, 0, 0, TimeUnit.MILLISECONDS),
                                new BackendHandler());
                    }
                });
    }

    /** A connection to {@code address} for {@code listener}; {@code fresh} skips the pool. */
    void acquire(InetSocketAddress address, boolean fresh, Listener listener, Acquired acquired) {
        assert loop.inEventLoop();
        ArrayDeque<Channel> channels = fresh ? null : idle.get(address);
        while (channels != null && !channels.isEmpty()) {
            Channel channel = channels.pollLast(); // the most recently used: least likely to be timed out
            if (channel.isActive()) {
                handler(channel).attach(listener);
                acquired.ready(channel, true);
                return;
            }
            channel.close();
        }
        ChannelFuture connect = bootstrap.connect(address);
        connect.addListener(done -> {
            if (done.isSuccess()) {
                Channel channel = connect.channel();
                channel.closeFuture().addListener(closed -> forget(address, channel));
                handler(channel).attach(listener);
                acquired.ready(channel, false);
            } else {
                acquired.failed(done.cause());
            }
        });
    }

    /** Returns a connection whose exchange completed cleanly; it waits here for the next one. */
    void release(Channel channel) {
        assert loop.inEventLoop();
        handler(channel).attach(null);
        if (!channel.isActive()) {
            return;
        }
        channel.config().setAutoRead(true); // an idle connection must notice the backend closing it
        InetSocketAddress address = (InetSocketAddress) channel.remoteAddress();
        ArrayDeque<Channel> channels = idle.computeIfAbsent(address, a -> new ArrayDeque<>());
        if (channels.size() >= MAX_IDLE_PER_BACKEND) {
            channel.close();
            return;
        }
        channels.addLast(channel);
    }

    /** Closes a connection in the middle of an exchange. */
    void discard(Channel channel) {
        handler(channel).attach(null);
        channel.close();
    }

    /** Idle connections held for {@code address}, for tests. */
    int idleCount(InetSocketAddress address) {
        ArrayDeque<Channel> channels = idle.get(address);
        return channels == null ? 0 : channels.size();
    }

    private void forget(InetSocketAddress address, Channel channel) {
        ArrayDeque<Channel> channels = idle.get(address);
        if (channels != null) {
            channels.remove(channel);
            if (channels.isEmpty()) {
                idle.remove(address);
            }
        }
    }

    private static BackendHandler handler(Channel channel) {
        return channel.pipeline().get(BackendHandler.class);
    }

    /** Passes what a backend connection does to the exchange holding it; idle, it just drops data. */
    private static final class BackendHandler extends ChannelInboundHandlerAdapter {

        private Listener listener;

        void attach(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (listener != null && msg instanceof HttpObject object) {
                listener.backendRead(object);
            } else {
                ReferenceCountUtil.release(msg); // nothing asked: a backend talking out of turn
                if (listener == null) {
                    ctx.close();
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (listener != null) {
                listener.backendReadComplete();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Listener current = listener;
            listener = null;
            if (current != null) {
                current.backendClosed();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (listener != null) {
                listener.backendWritabilityChanged();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent idleEvent && idleEvent.state() == IdleState.READER_IDLE) {
                if (listener == null) {
                    ctx.close(); // idle in the pool for too long
                } else {
                    listener.backendTimedOut();
                }
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // channelInactive tells the exchange
        }
    }
}
