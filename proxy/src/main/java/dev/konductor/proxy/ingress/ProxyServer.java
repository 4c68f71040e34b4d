package dev.konductor.proxy.ingress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ingress proxy's listeners on Netty: one acceptor thread, {@code ioThreads} event loops
 * shared by client and backend connections, HTTP/1.1 with keep-alive on both sides.
 *
 * <p>Why Netty rather than the JDK's HTTP server and client: a proxy spends its life moving
 * bytes between two sockets, and Netty does that without copying them into per-request
 * objects, with pooled direct buffers, backpressure both ways and the backend connection on the
 * same thread as the client's. The JDK's {@code HttpServer} hands each exchange a blocking
 * stream on a thread pool, and its {@code HttpClient} forbids setting {@code Host} (restricted
 * header) and buffers through its own executor, so every request would pay two thread hand-offs
 * and could not forward the client's Host as an ingress must.
 */
final class ProxyServer implements AutoCloseable {

    private static final int MAX_INITIAL_LINE = 8192;
    private static final int MAX_HEADER_SIZE = 32 * 1024;
    private static final int MAX_CHUNK = 64 * 1024;

    private final Router router;
    private final IngressSettings settings;
    private final EventLoopGroup acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("ingress-accept", true));
    private final EventLoopGroup workers;
    private final BackendPools pools;
    private final List<Channel> listeners = new ArrayList<>();

    ProxyServer(Router router, IngressSettings settings) {
        this.router = router;
        this.settings = settings;
        this.workers = new NioEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("ingress-io", true));
        this.pools = new BackendPools(settings.connectTimeout(), settings.responseTimeout());
    }

    /** Listens for plain HTTP; returns the bound port. */
    synchronized int listenHttp(InetSocketAddress address) throws InterruptedException {
        return listen(address, null);
    }

    /** Listens for HTTPS, choosing the certificate by SNI through {@code certificates}; returns the bound port. */
    synchronized int listenHttps(InetSocketAddress address, AsyncMapping<String, SslContext> certificates)
            throws InterruptedException {
        return listen(address, certificates);
    }

    private int listen(InetSocketAddress address, AsyncMapping<String, SslContext> certificates)
            throws InterruptedException {
        String scheme = certificates == null ? "http" : "https";
        long idleMillis = settings.idleTimeout().toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (certificates != null) {
                            pipeline.addLast(new SniHandler(certificates));
                        }
                        pipeline.addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK),
                                new HttpServerExpectContinueHandler(),
                                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                                new FrontendHandler(router, pools, scheme));
                    }
                });
        Channel channel = bootstrap.bind(address).sync().channel();
        listeners.add(channel);
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        listeners.forEach(Channel::close);
        listeners.clear();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
