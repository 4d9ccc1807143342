package org.sessioncluster.balancer.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The client side of one connection: each request goes to the node the router chooses, on a keep-alive connection
 * of this event loop, its body streamed behind its head and the answer streamed back; one request at a time (a
 * request sent ahead, pipelined, waits for the answer before it, and the connection is not read meanwhile; reading
 * is not paused otherwise, which would cost two system calls a request). A request that could not be sent (the
 * connection to the node failed) is tried once on another node whatever its method; a GET, HEAD or OPTIONS without
 * a body whose node failed before answering is tried once more too; once the answer has started nothing is
 * retried. A body without a length (chunked) is read whole first, up to the limit, so that a node gets the whole
 * body or nothing.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    static final Logger LOG = Logger.getLogger(ClientHandler.class.getName());
    static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /** Body bytes held for a node not yet connected before the client is asked to wait. */
    static final int MAX_PENDING_BYTES = 256 * 1024;

    final ProxyParts proxy;
    final boolean http2;
    ChannelHandlerContext ctx;
    String clientIp = "";
    Exchange exchange;
    /** The rest of a refused request is dropped until the connection closes. */
    boolean discarding;
    /** The client closed its sending side: what it asked is answered, then the connection closes. */
    private boolean inputClosed;
    /** What a client sent ahead (a pipelined request) while an answer was still owed: read after it. */
    private final ArrayDeque<Object> ahead = new ArrayDeque<>();

    /** @param http2 this is one HTTP/2 stream (its request came as HTTP/1.1 objects from Netty's stream codec) */
    ClientHandler(ProxyParts proxy, boolean http2) {
        this.proxy = proxy;
        this.http2 = http2;
    }

    /**
     * Added to a connection that may be active already: after TLS's ALPN chose HTTP/1.1, the handler comes after
     * the connection's channelActive, which it then never sees.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        clientIpOf(ctx);
        if (!http2) {
            // a client may close its sending side once its request is out (shutdown(SHUT_WR)) and still read
            halfClosure(true);
        }
    }

    /** Whether the client may close its sending side and still be answered (HTTP/1; not HTTP/2, not a tunnel). */
    void halfClosure(boolean allowed) {
        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, allowed);
    }

    private void clientIpOf(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            clientIp = a.getAddress().getHostAddress();
        }
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
            // pipelined: held until the answer before it is out, and nothing more is read meanwhile
            ahead.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(msg);
    }

    private void handle(Object msg) {
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
            exchange = new Exchange(this, request);
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
            halfClosure(false);
            ctx.pipeline().remove(io.netty.handler.timeout.IdleStateHandler.class);
            ctx.pipeline().remove(this);
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            boolean answering = exchange != null && !exchange.done;
            if (answering && !exchange.requestComplete) {
                ctx.close(); // gone before its request was whole: it cannot be sent
            } else if (!answering && ahead.isEmpty() && !discarding) {
                ctx.close(); // nothing owed
            }
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

    /**
     * The last answer is out: on to what the client sent ahead, if anything (a request, then its body, up to the
     * next request), else read on.
     */
    void next() {
        while (!ahead.isEmpty() && !discarding) {
            if (ahead.peek() instanceof HttpRequest && exchange != null && !exchange.done) {
                break; // its turn comes after this answer
            }
            handle(ahead.poll());
        }
        if (exchange != null && exchange.channel != null) {
            exchange.channel.flush(); // as at the end of a read: what was handed on goes out
        }
        if (ahead.isEmpty() && (exchange == null || exchange.readsOn())) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Nothing is waiting for its turn: reading on from the client may go on. */
    boolean nothingAhead() {
        return ahead.isEmpty();
    }

    /** After this answer the connection serves on, unless the client closed its side and asked nothing more. */
    boolean servesOn() {
        return !(inputClosed && ahead.isEmpty());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.fine(() -> "client " + clientIp + ": " + cause);
        ctx.close();
    }

    /** Answers a request that is not forwarded at all, and closes: its body (if any) is not read. */
    void refuse(HttpResponseStatus status, String message) {
        discarding = true;
        ctx.channel().config().setAutoRead(true); // read and drop until the close
        answer(status, message, false);
    }

    void answer(HttpResponseStatus status, String message, boolean keepAlive) {
        proxy.metrics().recordError();
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
}
