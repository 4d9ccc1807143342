package org.sessioncluster.balancer.proxy;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.policy.Router;

/** One request and its answer. Every method runs on the client's event loop. */
final class Exchange {
    private final ClientHandler client;
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
    boolean requestComplete;
    private boolean bodySent;
    private int attempt;
    private boolean staleRetried;
    private Backend node;
    Channel channel;
    private boolean reused;
    private long sent;
    private boolean answering;
    private boolean switched;
    private boolean nodeKeepAlive;
    boolean done;

    Exchange(ClientHandler client, HttpRequest request) {
        this.client = client;
        this.request = request;
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.idempotent = ClientHandler.IDEMPOTENT.contains(request.method());
        this.webSocket = ForwardedRequest.isWebSocketUpgrade(request.headers());
    }

    void begin() {
        long length = HttpUtil.getContentLength(request, -1L);
        if (length > client.proxy.settings().maxBodyBytes()) {
            done = true;
            client.refuse(
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "the request body (" + length + " bytes) is larger" + " than this balancer takes ("
                            + client.proxy.settings().maxBodyBytes() + " bytes, balancer.max.body.bytes)");
            return;
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            request.headers().remove(HttpHeaderNames.EXPECT); // answered here: the node gets the body at once
            client.ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        if (client.http2) {
            ForwardedRequest.removeHttp2Extensions(request.headers());
        }
        ForwardedRequest.edit(request, client.clientIp, client.proxy.settings().tls() != null);
        buffered = length < 0 && HttpUtil.isTransferEncodingChunked(request);
        if (buffered) {
            request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            body = client.ctx.alloc().compositeBuffer(1024);
        } else {
            send(); // the body streams behind the head
        }
    }

    void requestContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (buffered) {
            bodyBytes += content.content().readableBytes();
            if (bodyBytes > client.proxy.settings().maxBodyBytes()) {
                content.release();
                finish();
                client.refuse(
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "the request body is larger than this" + " balancer takes ("
                                + client.proxy.settings().maxBodyBytes() + " bytes, balancer.max.body.bytes)");
                return;
            }
            body.addComponent(true, content.content().retain());
            content.release();
            if (last) {
                completed();
                HttpUtil.setContentLength(request, bodyBytes);
                send();
            }
            return;
        }
        if (last) {
            completed();
        }
        if (channel != null) {
            bodySent |= content.content().isReadable();
            channel.write(content); // flushed when this read is done (channelReadComplete)
            if (!channel.isWritable()) {
                client.ctx.channel().config().setAutoRead(false);
            }
        } else {
            pending.add(content);
            pendingBytes += content.content().readableBytes();
            if (pendingBytes > ClientHandler.MAX_PENDING_BYTES) {
                client.ctx.channel().config().setAutoRead(false);
            }
        }
    }

    /** Chooses a node and sends the request there, on a pooled connection or a new one. */
    private void send() {
        attempt++;
        Optional<Backend> chosen =
                client.proxy.router().choose(client.proxy.router().sticky() ? routeOf() : null, tried);
        if (chosen.isEmpty()) {
            client.proxy.metrics().recordNoNode();
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "no node is available (none registered, healthy and enabled)");
            return;
        }
        node = chosen.get();
        tried.add(node);
        node.active().incrementAndGet();
        node.requests().increment();
        Channel pooled = client.proxy.nodes().pooled(client.ctx.channel().eventLoop(), node);
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
        client.proxy.nodes().connect(client.ctx.channel().eventLoop(), target).addListener((ChannelFuture f) -> {
            if (done || target != node) {
                if (f.isSuccess()) {
                    client.proxy.nodes().release(f.channel());
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
        client.ctx.channel().config().setAutoRead(readsOn() && ch.isWritable() && client.nothingAhead());
    }

    private void completed() {
        requestComplete = true;
        if (!readsOn()) {
            client.ctx.channel().config().setAutoRead(false);
        }
    }

    /**
     * Whether the client's connection is read while this exchange is on: yes while its body comes, and after it
     * for an HTTP/1 request (what comes then is a pipelined request, held); not after a WebSocket handshake,
     * whose connection becomes a tunnel once answered, nor on an HTTP/2 stream, whose reads are the stream's
     * flow control.
     */
    boolean readsOn() {
        return !requestComplete || !(webSocket || client.http2);
    }

    /** Connecting failed: nothing reached the node. */
    private void notSent(Throwable cause) {
        node.errors().increment();
        node.active().decrementAndGet();
        client.proxy.health().unreachable(node, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        if (attempt == 1) {
            client.proxy.metrics().recordRetry();
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
            ClientHandler.LOG.fine(() -> "answer from " + node.name() + " broke off: " + why);
            client.proxy.metrics().recordError();
            finish();
            client.ctx.close(); // the client sees the answer cut short, as it was
        } else if (reused && !staleRetried && resendable) {
            // a kept-alive connection the node had closed meanwhile: once more on a new one, same node
            staleRetried = true;
            node.active().incrementAndGet();
            connect();
        } else if (attempt == 1 && idempotent && resendable) {
            node.errors().increment();
            client.proxy.health().unreachable(node, why);
            client.proxy.metrics().recordRetry();
            send();
        } else {
            node.errors().increment();
            client.proxy.health().unreachable(node, why);
            fail(HttpResponseStatus.BAD_GATEWAY, "the node " + node.name() + " failed to answer");
        }
    }

    /** The node owes an answer and has been silent for balancer.response.timeout.ms. */
    void nodeSilent() {
        if (done) {
            return;
        }
        if (answering) {
            nodeFailed("silent for " + client.proxy.settings().responseTimeoutMillis()
                    + " ms in the middle of its answer");
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
            client.ctx.write(response);
            return;
        }
        nodeKeepAlive = HttpUtil.isKeepAlive(response);
        if (response.status().code() >= 500) {
            node.errors().increment();
        }
        ForwardedRequest.stripHopByHop(response.headers());
        HttpUtil.setKeepAlive(response, keepAlive && requestComplete);
        client.ctx.write(response);
    }

    void answerContent(HttpContent content) {
        if (switched) {
            content.release(); // the end of the 101 (it has no body)
            tunnel();
            return;
        }
        if (!(content instanceof LastHttpContent)) {
            client.ctx.write(content);
            if (!client.ctx.channel().isWritable()) {
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
            client.proxy.nodes().release(ch);
        } else {
            ch.attr(NodeConnections.EXCHANGE).set(null);
            ch.close();
        }
        client.proxy.metrics().recordRequest(now - start);
        boolean again = keepAlive && requestComplete && client.servesOn();
        finish();
        ChannelFuture written = client.ctx.writeAndFlush(content);
        if (again) {
            client.next();
        } else {
            client.discarding = true;
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** After a 101: the exchange is over and both connections leave HTTP behind ({@link Tunnel#join}). */
    private void tunnel() {
        Channel nodeChannel = channel;
        Backend tunnelled = node;
        channel = null;
        client.proxy.metrics().recordRequest(System.nanoTime() - start);
        finish();
        client.ctx.flush();
        Tunnel.join(client, nodeChannel, tunnelled);
    }

    /** What the node sent in one read is on its way to the client. */
    void flushClient() {
        client.ctx.flush();
    }

    void nodeWritabilityChanged(boolean writable) {
        if (!requestComplete) {
            client.ctx.channel().config().setAutoRead(writable);
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
        client.proxy.metrics().recordRequest(System.nanoTime() - start);
        boolean again = keepAlive && requestComplete && client.servesOn();
        finish();
        client.answer(status, message, again);
        if (again) {
            client.next();
        } else {
            client.discarding = true;
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
        if (client.exchange == this) {
            client.exchange = null;
        }
    }
}
