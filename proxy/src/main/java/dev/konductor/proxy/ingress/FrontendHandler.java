package dev.konductor.proxy.ingress;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the ingress proxy. Requests are handled one at a time, in order
 * (pipelined ones wait in the inbox): each is routed, then either answered here (404, 503, 502,
 * 504) or streamed to a backend connection from the loop's {@link BackendPool} and the response
 * streamed back, neither side ever held whole in memory. Reading stops while a side cannot keep
 * up (the other's channel is not writable) and while a request waits for its backend.
 *
 * <p>Runs on the connection's event loop only, as do the backend connections it uses.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);
    /** Connection attempts per request: the routed endpoint, then the next one the router picks. */
    private static final int CONNECT_ATTEMPTS = 2;

    private final Router router;
    private final BackendPools pools;
    private final String scheme;
    private final ArrayDeque<HttpObject> inbox = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange current;
    private boolean closing;
    private boolean pumping;
    /** Inside channelRead: backend writes are flushed once, when the read completes. */
    private boolean reading;
    /** Something was written to the current backend and not flushed yet. */
    private boolean backendDirty;

    FrontendHandler(Router router, BackendPools pools, String scheme) {
        this.router = router;
        this.pools = pools;
        this.scheme = scheme;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing || !(msg instanceof HttpObject object)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inbox.add(object);
        reading = true;
        try {
            pump();
        } finally {
            reading = false;
        }
    }

    /** Writes to the backend since the last flush go out now, unless a read is under way (it flushes at its end). */
    private void flushBackend() {
        if (!reading && backendDirty && current != null && current.backend != null) {
            backendDirty = false;
            current.backend.flush();
        }
    }

    /** Moves the inbox forward as far as the current exchange allows. */
    private void pump() {
        if (pumping) {
            return; // called back from within: the outer loop sees the new state
        }
        pumping = true;
        try {
            while (!closing && !inbox.isEmpty()) {
                if (current == null) {
                    HttpObject next = inbox.poll();
                    if (next instanceof HttpRequest request) {
                        begin(request);
                    } else {
                        ReferenceCountUtil.release(next); // the rest of a request answered early
                    }
                    continue;
                }
                if (current.requestDone || current.connecting) {
                    break;
                }
                current.requestContent((HttpContent) inbox.poll());
            }
        } finally {
            pumping = false;
        }
        flushBackend();
        updateReading();
    }

    private void updateReading() {
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        boolean read = inbox.isEmpty() && (current == null
                || (!current.requestDone && !current.connecting
                && (current.backend == null || current.backend.isWritable())));
        ctx.channel().config().setAutoRead(read);
    }

    private void begin(HttpRequest request) {
        current = new Exchange(request);
        if (request.decoderResult().isFailure()) {
            ReferenceCountUtil.release(request); // the decoder's stand-in for a bad request is a full message
            current.keepAlive = false;
            current.requestDone = true;
            current.answer(HttpResponseStatus.BAD_REQUEST, "400 bad request\n");
            return;
        }
        current.route(1);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushBackend();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && current.backend != null) {
            current.backend.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && current == null) {
            closing = true;
            ctx.close(); // an idle keep-alive connection
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (current != null && current.backend != null) {
            pools.of(ctx.channel().eventLoop()).discard(current.backend); // mid-exchange: not reusable
            current.backend = null;
        }
        current = null;
        inbox.forEach(ReferenceCountUtil::release);
        inbox.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("ingress: client connection failed remote={}: {}", ctx.channel().remoteAddress(), cause.toString());
        closing = true;
        ctx.close();
    }

    /** One request and its response. */
    private final class Exchange implements BackendPool.Listener {

        final HttpRequest request;
        final boolean head;
        boolean keepAlive;
        /** Answered here; request content is read and dropped. */
        boolean local;
        boolean connecting;
        Channel backend;
        HttpRequest forwardedHead;
        boolean reusedConnection;
        boolean retried;
        boolean bodySent;
        boolean requestDone;
        boolean responseStarted;
        boolean responseDone;
        boolean backendKeepAlive;
        /** A 1xx interim response from the backend is dropped, with its empty end. */
        boolean skipInterimEnd;
        String backendName = "";
        /** The endpoint of the last connection attempt, for a retry on a fresh connection. */
        InetSocketAddress lastAddress;

        Exchange(HttpRequest request) {
            this.request = request;
            this.head = HttpMethod.HEAD.equals(request.method());
            this.keepAlive = HttpUtil.isKeepAlive(request);
        }

        /** Routes the request and starts forwarding it, or answers it. */
        void route(int attempt) {
            String uri = request.uri();
            String host = request.headers().get(HttpHeaderNames.HOST);
            String target = uri;
            if (!uri.startsWith("/")) { // absolute-form (RFC 9112 3.2.2): its authority is the host
                try {
                    URI parsed = URI.create(uri);
                    host = parsed.getRawAuthority() == null ? host : parsed.getRawAuthority();
                    target = (parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath())
                            + (parsed.getRawQuery() == null ? "" : "?" + parsed.getRawQuery());
                } catch (IllegalArgumentException e) {
                    target = "/";
                }
            }
            int query = target.indexOf('?');
            String path = query < 0 ? target : target.substring(0, query);
            switch (router.route(host, path)) {
                case Router.Reject reject -> answer(HttpResponseStatus.valueOf(reject.status()), reject.message());
                case Router.Forward forward -> {
                    backendName = forward.backend();
                    InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
                    InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
                    forwardedHead = ForwardedHeaders.request(request, target, client.getAddress().getHostAddress(),
                            scheme, local.getPort());
                    connect(forward.address(), false, attempt);
                }
            }
        }

        void connect(InetSocketAddress address, boolean fresh, int attempt) {
            connecting = true;
            lastAddress = address;
            pools.of(ctx.channel().eventLoop()).acquire(address, fresh, this, new BackendPool.Acquired() {
                @Override
                public void ready(Channel channel, boolean reused) {
                    connected(channel, reused);
                }

                @Override
                public void failed(Throwable cause) {
                    connectFailed(address, attempt, cause);
                }
            });
        }

        private void connected(Channel channel, boolean reused) {
            if (current != this || closing) {
                pools.of(channel.eventLoop()).release(channel);
                return;
            }
            connecting = false;
            backend = channel;
            reusedConnection = reused;
            channel.config().setAutoRead(ctx.channel().isWritable());
            channel.write(forwardedHead);
            if (requestDone) {
                // a retry after the whole (empty) request went to a connection that died: end it again
                channel.write(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            backendDirty = true;
            pump(); // queued request content joins the head in one flush
            flushBackend();
        }

        private void connectFailed(InetSocketAddress address, int attempt, Throwable cause) {
            if (current != this || closing) {
                return;
            }
            connecting = false;
            log.debug("ingress: cannot connect backend={} address={} attempt={}: {}", backendName, address, attempt,
                    cause.toString());
            if (attempt < CONNECT_ATTEMPTS) {
                route(attempt + 1);
                return;
            }
            answer(HttpResponseStatus.BAD_GATEWAY, "502 bad gateway: cannot connect to " + backendName + "\n");
        }

        void requestContent(HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            if (local || backend == null) {
                content.release();
            } else {
                bodySent |= content.content().isReadable();
                backend.write(content); // flushed once the read (or the connect) is complete
                backendDirty = true;
            }
            if (last) {
                requestDone = true;
                maybeFinish();
            }
        }

        /** Answers the request here with a short plain-text body. */
        void answer(HttpResponseStatus status, String message) {
            local = true;
            byte[] body = message.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            connectionHeader(response);
            responseStarted = true;
            responseDone = true;
            ctx.writeAndFlush(response);
            maybeFinish();
        }

        @Override
        public void backendRead(HttpObject message) {
            if (current != this) {
                ReferenceCountUtil.release(message);
                return;
            }
            if (message.decoderResult().isFailure()) {
                ReferenceCountUtil.release(message);
                backendFailed("the backend's response is not valid HTTP");
                return;
            }
            if (message instanceof HttpResponse response) {
                if (response.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
                    skipInterimEnd = true;
                    return;
                }
                responseStarted = true;
                backendKeepAlive = HttpUtil.isKeepAlive(response);
                prepareResponse(response);
                ctx.write(response);
            }
            if (message instanceof HttpContent content) {
                boolean last = content instanceof LastHttpContent;
                if (skipInterimEnd) {
                    content.release();
                    skipInterimEnd = !last;
                    return;
                }
                ctx.write(content);
                if (!ctx.channel().isWritable() && backend != null) {
                    backend.config().setAutoRead(false);
                }
                if (last) {
                    responseDone = true;
                    ctx.flush();
                    giveBackBackend();
                    maybeFinish();
                }
            }
        }

        /** Hop-by-hop headers out; framing and keep-alive as this client connection needs them. */
        private void prepareResponse(HttpResponse response) {
            ForwardedHeaders.stripHopByHop(response.headers());
            int code = response.status().code();
            boolean noBody = head || code == 204 || code == 304;
            if (!noBody && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
                // the backend ends its body by closing: re-frame it for a keep-alive client
                if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                    HttpUtil.setTransferEncodingChunked(response, true);
                } else {
                    keepAlive = false;
                }
            }
            response.setProtocolVersion(HttpVersion.HTTP_1_1);
            connectionHeader(response);
        }

        private void connectionHeader(HttpResponse response) {
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }

        @Override
        public void backendReadComplete() {
            if (current == this) {
                ctx.flush();
            }
        }

        @Override
        public void backendWritabilityChanged() {
            if (current == this) {
                updateReading();
            }
        }

        @Override
        public void backendClosed() {
            if (current != this || backend == null) {
                return;
            }
            backend = null;
            if (responseDone) {
                return;
            }
            if (!responseStarted && reusedConnection && !retried && !bodySent) {
                // a kept-alive connection the backend had just closed: nothing was processed, try a new one
                retried = true;
                connect(lastAddress, true, CONNECT_ATTEMPTS);
                return;
            }
            backendFailed("the backend closed the connection");
        }

        @Override
        public void backendTimedOut() {
            if (current != this || !requestDone) {
                return; // still sending the request: the backend may rightly wait for all of it
            }
            if (!responseStarted) {
                Channel stale = backend;
                backend = null;
                pools.of(ctx.channel().eventLoop()).discard(stale);
                answer(HttpResponseStatus.GATEWAY_TIMEOUT, "504 gateway timeout: " + backendName + "\n");
                return;
            }
            backendFailed("the backend stopped sending its response");
        }

        private void backendFailed(String why) {
            log.debug("ingress: backend failed backend={}: {}", backendName, why);
            if (backend != null) {
                pools.of(ctx.channel().eventLoop()).discard(backend);
                backend = null;
            }
            if (!responseStarted) {
                if (!requestDone) {
                    keepAlive = false; // the rest of the request body cannot be delivered anywhere
                }
                answer(HttpResponseStatus.BAD_GATEWAY, "502 bad gateway: " + why + "\n");
                return;
            }
            // part of the response is out: the client can only learn of the failure by the close
            closing = true;
            ctx.flush();
            ctx.close();
        }

        /** The response is complete: its backend connection goes back to the pool if clean. */
        private void giveBackBackend() {
            Channel channel = backend;
            backend = null;
            if (channel == null) {
                return;
            }
            if (backendDirty) {
                backendDirty = false;
                channel.flush();
            }
            if (backendKeepAlive && requestDone) {
                pools.of(ctx.channel().eventLoop()).release(channel);
            } else {
                pools.of(ctx.channel().eventLoop()).discard(channel);
            }
        }

        /** Both directions done: on to the next request, or close. */
        private void maybeFinish() {
            if (!responseDone) {
                return;
            }
            if (!requestDone && !local) {
                // answered before the client finished sending: stop reading and close
                closing = true;
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (!requestDone) {
                return; // answered here; the rest of the request is read and dropped
            }
            current = null;
            if (!keepAlive) {
                closing = true;
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            pump();
        }
    }
}
