package org.sessioncluster.balancer.proxy;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.policy.Router;

/**
 * The client side of one connection: each request goes to the node the router chooses, on a keep-alive connection
 * of this event loop, its body streamed behind its head and the answer streamed back; one request at a time (the
 * next is read once the answer is out). A request that could not be sent (the connection to the node failed) is
 * tried once on another node whatever its method; a GET, HEAD or OPTIONS without a body whose node failed before
 * answering is tried once more too; once the answer has started nothing is retried. A body without a length
 * (chunked) is read whole first, up to the limit, so that a node gets the whole body or nothing.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(ClientHandler.class.getName());
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /** Body bytes held for a node not yet connected before the client is asked to wait. */
    private static final int MAX_PENDING_BYTES = 256 * 1024;

    private final Router router;
    private final ProxyMetrics metrics;
    private final PassiveHealth health;
    private final NodeConnections nodes;
    private final ProxySettings settings;
    private final boolean http2;
    private ChannelHandlerContext ctx;
    private String clientIp = "";
    private Exchange exchange;
    /** The rest of a refused request is dropped until the connection closes. */
    private boolean discarding;
    /** What a client sent ahead (a pipelined request) while an answer was still owed: read after it. */
    private final ArrayDeque<Object> ahead = new ArrayDeque<>();

    /** @param http2 this is one HTTP/2 stream (its request came as HTTP/1.1 objects from Netty's stream codec) */
    ClientHandler(
            Router router,
            ProxyMetrics metrics,
            PassiveHealth health,
            NodeConnections nodes,
            ProxySettings settings,
            boolean http2) {
        this.http2 = http2;
        this.router = router;
        this.metrics = metrics;
        this.health = health;
        this.nodes = nodes;
        this.settings = settings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            clientIp = a.getAddress().getHostAddress();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof io.netty.handler.codec.http.FullHttpRequest full) {
            // whole in one message (an HTTP/2 stream's HEADERS with its end): as a head and a body, like the rest
            HttpRequest head = new io.netty.handler.codec.http.DefaultHttpRequest(
                    full.protocolVersion(), full.method(), full.uri(), full.headers());
            head.setDecoderResult(full.decoderResult());
            LastHttpContent body = new DefaultLastHttpContent(full.content());
            body.trailingHeaders().set(full.trailingHeaders());
            channelRead(ctx, head);
            channelRead(ctx, body);
            return;
        }
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!ahead.isEmpty() || (msg instanceof HttpRequest && exchange != null && !exchange.done)) {
            ahead.add(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                Throwable why = request.decoderResult().cause();
                refuse(
                        HttpResponseStatus.BAD_REQUEST,
                        "the request is malformed or its headers are too large" + " (balancer.max.header.bytes): "
                                + (why == null ? "" : why.getMessage()));
                return;
            }
            exchange = new Exchange(request);
            exchange.begin();
        }
        if (msg instanceof HttpContent content) {
            if (exchange == null || exchange.done) {
                content.release();
            } else {
                exchange.requestContent(content);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null && exchange.channel != null) {
            exchange.channel.flush(); // what this read brought for the node goes out in one write
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null && exchange.channel != null) {
            exchange.channel.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.handler.codec.http.HttpServerUpgradeHandler.UpgradeEvent
                || evt
                        instanceof
                        io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
            // the connection speaks HTTP/2 now: its streams have handlers of their own
            ctx.pipeline().remove(io.netty.handler.timeout.IdleStateHandler.class);
            ctx.pipeline().remove(this);
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof IdleStateEvent) {
            // silent while sending a request, or between requests: a slow or gone client holds nothing for long
            if (exchange == null || !exchange.requestComplete) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null && !exchange.done) {
            exchange.clientLeft();
        }
        Object msg;
        while ((msg = ahead.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelInactive();
    }

    /** The last answer is out: on to what the client sent ahead, if anything, else read on. */
    private void next() {
        while (!ahead.isEmpty() && (exchange == null || exchange.done) && !discarding) {
            Object msg = ahead.poll();
            channelRead(ctx, msg);
        }
        if (ahead.isEmpty() && (exchange == null || !exchange.requestComplete)) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.fine(() -> "client " + clientIp + ": " + cause);
        ctx.close();
    }

    /** Answers a request that is not forwarded at all, and closes: its body (if any) is not read. */
    private void refuse(HttpResponseStatus status, String message) {
        discarding = true;
        ctx.channel().config().setAutoRead(true); // read and drop until the close
        answer(status, message, false);
    }

    private void answer(HttpResponseStatus status, String message, boolean keepAlive) {
        metrics.recordError();
        byte[] body = ("{\"error\":\"" + message.replace("\\", "/").replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set("X-Served-By", "balancer");
        HttpUtil.setKeepAlive(r, keepAlive);
        ChannelFuture written = ctx.writeAndFlush(r);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** One request and its answer. Every method runs on the client's event loop. */
    final class Exchange {
        private final HttpRequest request;
        private final boolean keepAlive;
        private final boolean idempotent;
        private final boolean webSocket;
        private final long start = System.nanoTime();
        private final ArrayDeque<HttpContent> pending = new ArrayDeque<>(2);
        private final Set<Backend> tried = new HashSet<>(2);
        private boolean buffered;
        private CompositeByteBuf body;
        private long bodyBytes;
        private long pendingBytes;
        private boolean requestComplete;
        private boolean bodySent;
        private int attempt;
        private boolean staleRetried;
        private Backend node;
        private Channel channel;
        private boolean reused;
        private long sent;
        private boolean answering;
        private boolean switched;
        private boolean nodeKeepAlive;
        private boolean done;

        Exchange(HttpRequest request) {
            this.request = request;
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.idempotent = IDEMPOTENT.contains(request.method());
            this.webSocket = ForwardedRequest.isWebSocketUpgrade(request.headers());
        }

        void begin() {
            long length = HttpUtil.getContentLength(request, -1L);
            if (length > settings.maxBodyBytes()) {
                done = true;
                refuse(
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "the request body (" + length + " bytes) is larger" + " than this balancer takes ("
                                + settings.maxBodyBytes() + " bytes, balancer.max.body.bytes)");
                return;
            }
            if (HttpUtil.is100ContinueExpected(request)) {
                request.headers().remove(HttpHeaderNames.EXPECT); // answered here: the node gets the body at once
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
            if (http2) {
                ForwardedRequest.removeHttp2Extensions(request.headers());
            }
            ForwardedRequest.edit(request, clientIp, settings.tls() != null);
            buffered = length < 0 && HttpUtil.isTransferEncodingChunked(request);
            if (buffered) {
                request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                body = ctx.alloc().compositeBuffer(1024);
            } else {
                send(); // the body streams behind the head
            }
        }

        void requestContent(HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            if (buffered) {
                bodyBytes += content.content().readableBytes();
                if (bodyBytes > settings.maxBodyBytes()) {
                    content.release();
                    finish();
                    refuse(
                            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                            "the request body is larger than this" + " balancer takes (" + settings.maxBodyBytes()
                                    + " bytes, balancer.max.body.bytes)");
                    return;
                }
                body.addComponent(true, content.content().retain());
                content.release();
                if (last) {
                    requestComplete = true;
                    HttpUtil.setContentLength(request, bodyBytes);
                    ctx.channel().config().setAutoRead(false);
                    send();
                }
                return;
            }
            if (last) {
                requestComplete = true;
                ctx.channel().config().setAutoRead(false); // the next request waits for this one's answer
            }
            if (channel != null) {
                bodySent |= content.content().isReadable();
                channel.write(content); // flushed when this read is done (channelReadComplete)
                if (!channel.isWritable()) {
                    ctx.channel().config().setAutoRead(false);
                }
            } else {
                pending.add(content);
                pendingBytes += content.content().readableBytes();
                if (pendingBytes > MAX_PENDING_BYTES) {
                    ctx.channel().config().setAutoRead(false);
                }
            }
        }

        /** Chooses a node and sends the request there, on a pooled connection or a new one. */
        private void send() {
            attempt++;
            Optional<Backend> chosen = router.choose(router.sticky() ? routeOf() : null, tried);
            if (chosen.isEmpty()) {
                metrics.recordNoNode();
                fail(
                        HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "no node is available (none registered, healthy and enabled)");
                return;
            }
            node = chosen.get();
            tried.add(node);
            node.active().incrementAndGet();
            node.requests().increment();
            Channel pooled = nodes.pooled(ctx.channel().eventLoop(), node);
            if (pooled != null) {
                reused = true;
                attach(pooled);
            } else {
                connect();
            }
        }

        private void connect() {
            reused = false;
            Backend target = node;
            nodes.connect(ctx.channel().eventLoop(), target).addListener((ChannelFuture f) -> {
                if (done || target != node) {
                    if (f.isSuccess()) {
                        nodes.release(f.channel());
                    }
                } else if (f.isSuccess()) {
                    attach(f.channel());
                } else {
                    notSent(f.cause());
                }
            });
        }

        private String routeOf() {
            return Router.routeOf(ForwardedRequest.sessionId(request.headers()));
        }

        private void attach(Channel ch) {
            channel = ch;
            ch.attr(NodeConnections.EXCHANGE).set(this);
            sent = System.nanoTime();
            ch.write(request);
            if (buffered) {
                ch.write(new DefaultLastHttpContent(body.retainedDuplicate()));
            } else {
                boolean lastWritten = false;
                HttpContent c;
                while ((c = pending.poll()) != null) {
                    bodySent |= c.content().isReadable();
                    lastWritten |= c instanceof LastHttpContent;
                    ch.write(c);
                }
                pendingBytes = 0;
                if (requestComplete && !lastWritten) {
                    // sent again after a failed attempt: the end of the request went out on that connection
                    ch.write(LastHttpContent.EMPTY_LAST_CONTENT);
                }
            }
            ch.flush();
            ctx.channel().config().setAutoRead(!requestComplete && ch.isWritable());
        }

        /** Connecting failed: nothing reached the node. */
        private void notSent(Throwable cause) {
            node.errors().increment();
            node.active().decrementAndGet();
            health.unreachable(node, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            if (attempt == 1) {
                metrics.recordRetry();
                send();
            } else {
                fail(HttpResponseStatus.BAD_GATEWAY, "the node " + node.name() + " failed to answer");
            }
        }

        /** The connection to the node failed (closed, reset) before or while it answered. */
        void nodeFailed(String why) {
            if (done) {
                return;
            }
            Channel failed = channel;
            channel = null;
            if (failed != null) {
                failed.attr(NodeConnections.EXCHANGE).set(null);
                failed.close();
            }
            node.active().decrementAndGet();
            boolean resendable = !bodySent && pending.isEmpty() && (requestComplete || buffered);
            if (answering) {
                node.errors().increment();
                LOG.fine(() -> "answer from " + node.name() + " broke off: " + why);
                metrics.recordError();
                finish();
                ctx.close(); // the client sees the answer cut short, as it was
            } else if (reused && !staleRetried && resendable) {
                // a kept-alive connection the node had closed meanwhile: once more on a new one, same node
                staleRetried = true;
                node.active().incrementAndGet();
                connect();
            } else if (attempt == 1 && idempotent && resendable) {
                node.errors().increment();
                health.unreachable(node, why);
                metrics.recordRetry();
                send();
            } else {
                node.errors().increment();
                health.unreachable(node, why);
                fail(HttpResponseStatus.BAD_GATEWAY, "the node " + node.name() + " failed to answer");
            }
        }

        /** The node owes an answer and has been silent for balancer.response.timeout.ms. */
        void nodeSilent() {
            if (done) {
                return;
            }
            if (answering) {
                nodeFailed("silent for " + settings.responseTimeoutMillis() + " ms in the middle of its answer");
                return;
            }
            Channel silent = channel;
            channel = null;
            silent.attr(NodeConnections.EXCHANGE).set(null);
            silent.close();
            node.errors().increment();
            node.active().decrementAndGet();
            fail(HttpResponseStatus.GATEWAY_TIMEOUT, "the node " + node.name() + " did not answer in time");
        }

        void answerStarts(HttpResponse response) {
            answering = true;
            if (webSocket && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                switched = true; // the node took the WebSocket: its 101 goes out as it is, then bytes flow both ways
                ctx.write(response);
                return;
            }
            nodeKeepAlive = HttpUtil.isKeepAlive(response);
            if (response.status().code() >= 500) {
                node.errors().increment();
            }
            ForwardedRequest.stripHopByHop(response.headers());
            HttpUtil.setKeepAlive(response, keepAlive && requestComplete);
            ctx.write(response);
        }

        void answerContent(HttpContent content) {
            if (switched) {
                content.release(); // the end of the 101 (it has no body)
                tunnel();
                return;
            }
            if (!(content instanceof LastHttpContent)) {
                ctx.write(content);
                if (!ctx.channel().isWritable()) {
                    channel.config().setAutoRead(false);
                }
                return;
            }
            long now = System.nanoTime();
            node.recordLatency(ProxyMetrics.bucketOf(now - sent));
            node.active().decrementAndGet();
            Channel ch = channel;
            channel = null;
            ch.config().setAutoRead(true);
            if (nodeKeepAlive && requestComplete) {
                nodes.release(ch);
            } else {
                ch.attr(NodeConnections.EXCHANGE).set(null);
                ch.close();
            }
            metrics.recordRequest(now - start);
            boolean again = keepAlive && requestComplete;
            finish();
            ChannelFuture written = ctx.writeAndFlush(content);
            if (again) {
                next();
            } else {
                discarding = true;
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        /**
         * After a 101: both connections leave HTTP behind and become a tunnel. The codecs go last, so that what
         * they hold already (the first frames) passes into the tunnel.
         */
        private void tunnel() {
            Channel nodeChannel = channel;
            Backend tunnelled = node;
            channel = null;
            metrics.recordRequest(System.nanoTime() - start);
            finish();
            ctx.flush();
            nodeChannel.attr(NodeConnections.EXCHANGE).set(null);
            Runnable closed = new Runnable() {
                private boolean once;

                @Override
                public void run() {
                    if (!once) {
                        once = true;
                        tunnelled.active().decrementAndGet(); // a WebSocket counts as busy until it ends
                    }
                }
            };
            io.netty.channel.ChannelPipeline np = nodeChannel.pipeline();
            np.remove(NodeHandler.class);
            np.remove(io.netty.handler.timeout.IdleStateHandler.class);
            np.addLast(new Tunnel(ctx.channel(), closed));
            np.remove(io.netty.handler.codec.http.HttpClientCodec.class);
            io.netty.channel.ChannelPipeline cp = ctx.pipeline();
            discarding = false;
            cp.addLast(new Tunnel(nodeChannel, closed));
            cp.remove(io.netty.handler.timeout.IdleStateHandler.class);
            cp.remove(ClientHandler.this);
            cp.remove(io.netty.handler.codec.http.HttpServerCodec.class);
            nodeChannel.config().setAutoRead(true);
            ctx.channel().config().setAutoRead(true);
        }

        /** What the node sent in one read is on its way to the client. */
        void flushClient() {
            ctx.flush();
        }

        void nodeWritabilityChanged(boolean writable) {
            if (!requestComplete) {
                ctx.channel().config().setAutoRead(writable);
            }
        }

        void clientLeft() {
            if (channel != null) {
                channel.attr(NodeConnections.EXCHANGE).set(null);
                channel.close(); // the node is mid-request or mid-answer: the connection cannot be reused
                channel = null;
                node.active().decrementAndGet();
            }
            finish();
        }

        private void fail(HttpResponseStatus status, String message) {
            metrics.recordRequest(System.nanoTime() - start);
            boolean again = keepAlive && requestComplete;
            finish();
            answer(status, message, again);
            if (again) {
                next();
            } else {
                discarding = true;
            }
        }

        /** The exchange is over: what it holds is released, the connection may serve the next request. */
        private void finish() {
            done = true;
            if (body != null) {
                body.release();
                body = null;
            }
            HttpContent c;
            while ((c = pending.poll()) != null) {
                c.release();
            }
            if (exchange == this) {
                exchange = null;
            }
        }
    }
}
