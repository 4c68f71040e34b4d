package dev.konductor.apiserver.http;

import dev.konductor.streaming.ChannelDuplex;
import dev.konductor.streaming.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One HTTP request and its response, handled on a virtual thread with plain blocking calls.
 * Exactly one of {@link #respond} or {@link #startStream} is called per exchange.
 */
public final class HttpExchange {

    /** The largest WebSocket message accepted from a client (exec's stdin chunks are far smaller). */
    static final int MAX_WEBSOCKET_FRAME = 1024 * 1024;

    private final Channel channel;
    private final FullHttpRequest request;
    private final QueryStringDecoder query;
    private final String user;
    private final List<String> groups;
    private final boolean keepAlive;
    private final List<String> warnings = new ArrayList<>();
    private boolean responded;

    HttpExchange(Channel channel, FullHttpRequest request, String user, List<String> groups) {
        this.channel = channel;
        this.request = request;
        this.query = new QueryStringDecoder(request.uri());
        this.user = user;
        this.groups = groups;
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    public String method() {
        return request.method().name();
    }

    public String path() {
        return query.path();
    }

    public String uri() {
        return request.uri();
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> params(String name) {
        return query.parameters().getOrDefault(name, List.of());
    }

    public Map<String, List<String>> params() {
        return query.parameters();
    }

    public String header(String name) {
        return request.headers().get(name);
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    public byte[] body() {
        ByteBuf content = request.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        return bytes;
    }

    public int bodyLength() {
        return request.content().readableBytes();
    }

    /** The authenticated user name, e.g. {@code kubernetes-admin}, or null for anonymous. */
    public String user() {
        return user;
    }

    public List<String> groups() {
        return groups;
    }

    /** Adds a {@code Warning: 299 - "..."} header to the response (kubectl prints it). */
    public void warn(String text) {
        warnings.add(text);
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Registers an action to run when the client goes away. */
    public void onClose(Runnable action) {
        channel.closeFuture().addListener(f -> action.run());
    }

    public void respond(int status, String contentType, byte[] body) {
        respond(status, contentType, body, Map.of());
    }

    public void respond(int status, String contentType, byte[] body, Map<String, String> extraHeaders) {
        checkFirstResponse();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        HttpHeaders h = response.headers();
        if (contentType != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        extraHeaders.forEach(h::set);
        addWarnings(h);
        if (keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            channel.writeAndFlush(response);
        } else {
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The request's header lines as they came, repeats apart (what an upgrade relays onwards). */
    public List<HttpHead.Header> headerLines() {
        List<HttpHead.Header> lines = new ArrayList<>();
        request.headers().forEach(h -> lines.add(new HttpHead.Header(h.getKey(), h.getValue())));
        return lines;
    }

    /** Whether the client asks to switch protocols ({@code Connection: Upgrade} with an {@code Upgrade} header). */
    public boolean isUpgradeRequest() {
        return request.headers().contains(HttpHeaderNames.UPGRADE)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * Takes the connection over for raw bytes, as after an upgrade relayed from elsewhere: the
     * HTTP handlers leave the pipeline, and the caller writes the response head itself. Replaces
     * {@link #respond} and the other answers for this exchange.
     */
    public ChannelDuplex takeOver() {
        checkFirstResponse();
        return ChannelDuplex.takeOver(channel, HttpsServer.HTTP_HANDLERS);
    }

    /** Whether the client asks to upgrade this request to a WebSocket ({@code Upgrade: websocket}). */
    public boolean isWebSocketRequest() {
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        return request.method() == HttpMethod.GET && upgrade != null && upgrade.equalsIgnoreCase("websocket")
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** The subprotocols the client offers ({@code Sec-WebSocket-Protocol}), in its order of preference. */
    public List<String> webSocketProtocols() {
        List<String> offered = new ArrayList<>();
        for (String header : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String p : header.split(",")) {
                if (!p.isBlank()) {
                    offered.add(p.trim());
                }
            }
        }
        return offered;
    }

    /**
     * Answers {@code 101 Switching Protocols} and turns this connection into a WebSocket.
     * {@code subprotocol} must be one the client offered, or null when it offered none (or the
     * server speaks none of them and the client may go on without one). The returned session
     * replaces {@link #respond} and {@link #startStream} for this exchange.
     */
    public WebSocketSession upgradeToWebSocket(String subprotocol) {
        checkFirstResponse();
        String scheme = channel.pipeline().get(io.netty.handler.ssl.SslHandler.class) == null ? "ws://" : "wss://";
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(scheme + host + request.uri(),
                subprotocol, true, MAX_WEBSOCKET_FRAME).newHandshaker(request);
        if (handshaker == null) {
            responded = false;
            throw new IllegalStateException("unsupported WebSocket version "
                    + request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION));
        }
        WebSocketSession session = new WebSocketSession(channel, subprotocol);
        // pipeline changes and the 101 go out on the connection's event loop, before any frame is read
        ChannelFuture upgraded = channel.eventLoop().submit(() -> {
            ChannelFuture done = handshaker.handshake(channel, request);
            channel.pipeline().addLast("websocket-aggregate", new WebSocketFrameAggregator(MAX_WEBSOCKET_FRAME));
            channel.pipeline().addLast("websocket", session.frameHandler());
            return done;
        }).syncUninterruptibly().getNow();
        upgraded.syncUninterruptibly();
        return session;
    }

    /** Starts a chunked response whose body is written piece by piece (watch, follow logs). */
    public ResponseStream startStream(int status, String contentType) {
        checkFirstResponse();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        addWarnings(response.headers());
        channel.writeAndFlush(response);
        return new ResponseStream();
    }

    private void addWarnings(HttpHeaders h) {
        for (String w : warnings) {
            h.add("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\"");
        }
    }

    private void checkFirstResponse() {
        if (responded) {
            throw new IllegalStateException("response already started");
        }
        responded = true;
    }

    public boolean responded() {
        return responded;
    }

    /**
     * The body of a streamed response. {@link #write} blocks while the connection's outbound
     * buffer is full, so a slow client slows its own writer, not the server.
     */
    public final class ResponseStream implements AutoCloseable {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition writable = lock.newCondition();
        private final io.netty.channel.ChannelHandler watcher;
        private boolean closed;

        ResponseStream() {
            watcher = new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(io.netty.channel.ChannelHandlerContext ctx) {
                    signal();
                    ctx.fireChannelWritabilityChanged();
                }

                @Override
                public void channelInactive(io.netty.channel.ChannelHandlerContext ctx) {
                    signal();
                    ctx.fireChannelInactive();
                }
            };
            channel.pipeline().addLast(watcher);
        }

        private void signal() {
            lock.lock();
            try {
                writable.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Writes and flushes one piece; returns false once the client has gone. */
        public boolean write(byte[] bytes) {
            if (closed || !channel.isActive()) {
                return false;
            }
            awaitWritable();
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
            return channel.isActive();
        }

        public boolean write(String text) {
            return write(text.getBytes(StandardCharsets.UTF_8));
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

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.pipeline().remove(watcher);
            } catch (java.util.NoSuchElementException alreadyGone) {
                // the channel closed and its pipeline was torn down
            }
            if (channel.isActive()) {
                if (keepAlive) {
                    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                } else {
                    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                }
            }
        }
    }
}
