package dev.konductor.kubelet.server;

import dev.konductor.kubelet.logs.ContainerLogs;
import dev.konductor.kubelet.logs.LogOptions;
import dev.konductor.streaming.ChannelDuplex;
import dev.konductor.streaming.Duplex;
import dev.konductor.streaming.HttpHead;
import dev.konductor.streaming.UpgradeProxy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's HTTPS endpoint (upstream's port 10250), which the API server proxies to:
 * {@code /healthz}, {@code /containerLogs/NAMESPACE/POD/CONTAINER} with PodLogOptions' query
 * parameters, and the streaming endpoints {@code /exec}, {@code /attach} and
 * {@code /portForward}, whose upgraded connections the {@link StreamingHandler} takes over.
 * Every request but {@code /healthz} needs a client certificate from the cluster CA. Requests
 * run on virtual threads with blocking writes.
 */
public final class KubeletServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubeletServer.class);

    /** The HTTP handlers a streaming session removes once its connection switches protocols. */
    private static final List<String> HTTP_HANDLERS = List.of("http", "aggregate", "dispatch");

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final LogSource logs;
    private final StreamingHandler streams;

    private KubeletServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel, LogSource logs,
                          StreamingHandler streams) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
        this.logs = logs;
        this.streams = streams;
    }

    public static KubeletServer start(InetSocketAddress address, ServingCertificate certificate, X509Certificate clusterCa,
                                      LogSource logs, StreamingHandler streams) throws IOException, InterruptedException {
        SslContext ssl = SslContextBuilder.forServer(certificate.key(), certificate.certificate())
                .trustManager(new ClientCertificates(clusterCa))
                .clientAuth(ClientAuth.OPTIONAL)
                .build();
        EventLoopGroup boss = new NioEventLoopGroup(1, Thread.ofPlatform().name("kubelet-accept").daemon().factory());
        EventLoopGroup workers = new NioEventLoopGroup(1, Thread.ofPlatform().name("kubelet-io").daemon().factory());
        KubeletServer[] self = new KubeletServer[1];
        try {
            Channel channel = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()))
                                    .addLast("http", new HttpServerCodec())
                                    .addLast("aggregate", new HttpObjectAggregator(1 << 20))
                                    .addLast("dispatch", new Dispatcher(() -> self[0]));
                        }
                    })
                    .bind(address).sync().channel();
            self[0] = new KubeletServer(boss, workers, channel, logs, streams);
            log.info("kubelet server listening address={}", channel.localAddress());
            return self[0];
        } catch (RuntimeException | InterruptedException e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final java.util.function.Supplier<KubeletServer> server;

        Dispatcher(java.util.function.Supplier<KubeletServer> server) {
            this.server = server;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpRequest retained = request.retainedDuplicate();
            Thread.ofVirtual().name("kubelet-request").start(() -> {
                try {
                    server.get().handle(ctx.channel(), retained);
                } catch (RuntimeException e) {
                    log.warn("kubelet request failed uri={}", retained.uri(), e);
                    respond(ctx.channel(), HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString());
                } finally {
                    retained.release();
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("kubelet connection failed: {}", cause.toString());
            ctx.close();
        }
    }

    private void handle(Channel ch, FullHttpRequest request) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        if (path.equals("/healthz")) {
            respond(ch, HttpResponseStatus.OK, "ok");
            return;
        }
        if (!authenticated(ch)) {
            respond(ch, HttpResponseStatus.UNAUTHORIZED, "Unauthorized");
            return;
        }
        if (isStreaming(path)) {
            if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.POST)) {
                respond(ch, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
                return;
            }
            streams.serve(head(request), downstream(ch));
            return;
        }
        if (!request.method().equals(HttpMethod.GET)) {
            respond(ch, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
            return;
        }
        List<String> parts = List.of(path.split("/"));
        if (parts.size() == 5 && parts.get(1).equals("containerLogs")) {
            containerLogs(ch, decode(parts.get(2)), decode(parts.get(3)), decode(parts.get(4)), query);
            return;
        }
        respond(ch, HttpResponseStatus.NOT_FOUND, "404 page not found");
    }

    private static boolean isStreaming(String path) {
        return path.startsWith("/exec/") || path.startsWith("/attach/") || path.startsWith("/portForward/");
    }

    private static HttpHead head(FullHttpRequest request) {
        List<HttpHead.Header> headers = new ArrayList<>();
        request.headers().forEach(h -> headers.add(new HttpHead.Header(h.getKey(), h.getValue())));
        return HttpHead.request(request.method().name(), request.uri(), headers);
    }

    /** The API server's side of a streaming session on this connection. */
    private static UpgradeProxy.Downstream downstream(Channel ch) {
        return new UpgradeProxy.Downstream() {
            @Override
            public void refused(UpgradeProxy.Answer answer) {
                respond(ch, HttpResponseStatus.valueOf(answer.status()), answer.contentType(), answer.body());
            }

            @Override
            public Duplex switched(UpgradeProxy.Answer answer) throws IOException {
                ChannelDuplex duplex = ChannelDuplex.takeOver(ch, HTTP_HANDLERS);
                try {
                    duplex.output().write(answer.head().encode());
                } catch (IOException e) {
                    duplex.close();
                    throw e;
                }
                return duplex;
            }
        };
    }

    private void containerLogs(Channel ch, String namespace, String pod, String container, QueryStringDecoder query) {
        LogOptions options;
        try {
            options = options(query);
        } catch (IllegalArgumentException e) {
            respond(ch, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        LogSource.Target target;
        try {
            target = logs.find(namespace, pod, container, bool(query, "previous"));
        } catch (LogSource.NotFound e) {
            respond(ch, HttpResponseStatus.NOT_FOUND, e.getMessage());
            return;
        }
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ch.writeAndFlush(head);
        try {
            ContainerLogs.copy(target.file(), options, bytes -> {
                if (!ch.isActive()) {
                    return false;
                }
                if (bytes.length > 0) {
                    ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes))).awaitUninterruptibly();
                }
                return ch.isActive();
            }, target.running());
        } catch (NoSuchFileException e) {
            // the log file is gone (container removed meanwhile): an empty log
        } catch (IOException e) {
            log.warn("cannot read log file={}: {}", target.file(), e.getMessage());
        }
        if (ch.isActive()) {
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    static LogOptions options(QueryStringDecoder query) {
        Optional<Long> tail = number(query, "tailLines");
        Optional<Long> limit = number(query, "limitBytes");
        Optional<Instant> since = Optional.empty();
        Optional<Long> sinceSeconds = number(query, "sinceSeconds");
        if (sinceSeconds.isPresent()) {
            since = Optional.of(Instant.now().minusSeconds(sinceSeconds.get()));
        }
        String sinceTime = first(query, "sinceTime");
        if (sinceTime != null) {
            try {
                since = Optional.of(Instant.parse(sinceTime));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("sinceTime: " + e.getMessage());
            }
        }
        return new LogOptions(bool(query, "follow"), tail, since, bool(query, "timestamps"), limit);
    }

    private static Optional<Long> number(QueryStringDecoder query, String name) {
        String value = first(query, name);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value);
        }
    }

    private static boolean bool(QueryStringDecoder query, String name) {
        String value = first(query, name);
        return value != null && (value.equals("true") || value.equals("1") || value.equals("True") || value.equals("TRUE")
                || value.equals("t") || value.equals("T"));
    }

    private static String first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static boolean authenticated(Channel ch) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        try {
            return ssl != null && ssl.engine().getSession().getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private static void respond(Channel ch, HttpResponseStatus status, String body) {
        respond(ch, status, "text/plain; charset=utf-8", (body + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(Channel ch, HttpResponseStatus status, String contentType, byte[] bytes) {
        if (!ch.isActive()) {
            return;
        }
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        ch.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
