package dev.konductor.apiserver.http;

import dev.konductor.apiserver.TlsMaterial;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener: TLS with optional client certificates (HTTP/1.1 only), request bodies
 * aggregated up to a limit, each request handed to a virtual thread.
 */
public final class HttpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpsServer.class);
    /** Bodies above upstream's 3 MiB limit are refused by the handler; this is the hard cap. */
    static final int MAX_AGGREGATED_BODY = 4 * 1024 * 1024;
    /** The pipeline's HTTP handlers, which leave it when a connection is taken over for raw bytes. */
    static final List<String> HTTP_HANDLERS = List.of("http", "aggregate", "dispatch");
    private static final io.netty.util.AttributeKey<String[]> IDENTITY =
            io.netty.util.AttributeKey.valueOf("konductor.identity");

    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpHandler handler;
    private final SslContext sslContext;
    private Channel serverChannel;

    public HttpsServer(TlsMaterial tls, HttpHandler handler) {
        this.handler = handler;
        try {
            this.sslContext = SslContextBuilder.forServer(tls.serverKey(), tls.serverChain())
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .trustManager(tls.clientCa())
                    .clientAuth(ClientAuth.OPTIONAL)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot build TLS context: " + e.getMessage(), e);
        }
    }

    /** Binds and returns the bound port. */
    public int start(java.net.InetAddress bind, int port) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = sslContext.newHandler(ch.alloc());
                        // Netty's 10 s default closes handshakes that a saturated 2-core machine
                        // simply has not scheduled yet; clients saw "connection was closed".
                        tls.setHandshakeTimeoutMillis(60_000);
                        ch.pipeline().addLast("tls", tls);
                        ch.pipeline().addLast("http", new HttpServerCodec(8192, 65536, 65536));
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_AGGREGATED_BODY) {
                            @Override
                            protected void handleOversizedMessage(ChannelHandlerContext ctx,
                                                                  io.netty.handler.codec.http.HttpMessage oversized) {
                                tooLarge(ctx);
                            }
                        });
                        ch.pipeline().addLast("dispatch", new Dispatcher());
                    }
                });
        InetSocketAddress address = bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port);
        serverChannel = bootstrap.bind(address).sync().channel();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    private static void tooLarge(ChannelHandlerContext ctx) {
        byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"Request entity too large: limit is 3145728\",\"reason\":\"RequestEntityTooLarge\",\"code\":413}")
                .getBytes(StandardCharsets.UTF_8);
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }

    private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        Dispatcher() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                request.release();
                ctx.close();
                return;
            }
            String[] identity = ctx.channel().attr(IDENTITY).get();
            if (identity == null) {
                // the certificate cannot change on a connection: parse it once
                identity = peerIdentity(ctx.channel());
                ctx.channel().attr(IDENTITY).set(identity);
            }
            List<String> groups = new ArrayList<>();
            for (int i = 1; i < identity.length; i++) {
                groups.add(identity[i]);
            }
            HttpExchange exchange = new HttpExchange(ctx.channel(), request, identity[0], List.copyOf(groups));
            requests.execute(() -> {
                try {
                    handler.handle(exchange);
                } catch (Throwable e) {
                    log.error("request failed uri={} error={}", request.uri(), e.toString(), e);
                    if (!exchange.responded()) {
                        exchange.respond(500, "application/json", ("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred\","
                                + "\"reason\":\"InternalError\",\"code\":500}").getBytes(StandardCharsets.UTF_8));
                    } else {
                        ctx.close();
                    }
                } finally {
                    request.release();
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("connection error remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** [user, groups...] from the verified client certificate; [null] when there is none. */
    private static String[] peerIdentity(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return new String[] {null};
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
                return new String[] {null};
            }
            List<String> out = new ArrayList<>();
            out.add(null);
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    out.set(0, rdn.getValue().toString());
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    out.add(rdn.getValue().toString());
                }
            }
            return out.toArray(String[]::new);
        } catch (SSLPeerUnverifiedException e) {
            return new String[] {null};
        } catch (javax.naming.InvalidNameException e) {
            return new String[] {null};
        }
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        requests.shutdownNow();
    }
}
