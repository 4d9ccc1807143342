package org.sessioncluster.balancer.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/** The node side of every connection: hands what a node answers to the exchange the connection serves. */
@ChannelHandler.Sharable
final class NodeHandler extends ChannelInboundHandlerAdapter {
    private final NodeConnections connections;

    NodeHandler(NodeConnections connections) {
        this.connections = connections;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange exchange = ctx.channel().attr(NodeConnections.EXCHANGE).get();
        if (exchange == null) {
            ReferenceCountUtil.release(msg); // nothing was asked on this connection: it cannot be trusted
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            exchange.answerStarts(response);
        }
        if (msg instanceof HttpContent content) {
            exchange.answerContent(content);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange exchange = ctx.channel().attr(NodeConnections.EXCHANGE).get();
        if (exchange != null) {
            exchange.flushClient(); // what one read brought goes out in one write
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange exchange = ctx.channel().attr(NodeConnections.EXCHANGE).get();
        if (exchange != null) {
            exchange.nodeWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            Exchange exchange = ctx.channel().attr(NodeConnections.EXCHANGE).get();
            if (exchange != null) {
                exchange.nodeSilent();
            } else {
                ctx.close(); // idle in the pool for the response timeout
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange exchange = ctx.channel().attr(NodeConnections.EXCHANGE).getAndSet(null);
        if (exchange != null) {
            exchange.nodeFailed("the connection closed");
        } else {
            connections.forget(ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange exchange = ctx.channel().attr(NodeConnections.EXCHANGE).getAndSet(null);
        if (exchange != null) {
            exchange.nodeFailed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        ctx.close();
    }
}
