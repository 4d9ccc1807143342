package org.sessioncluster.balancer.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One side of a connection switched away from HTTP (a WebSocket after its 101): bytes pass to the other side as
 * they come, reading paused while the other side cannot take more; when either side closes, so does the other.
 */
final class Tunnel extends ChannelInboundHandlerAdapter {
    private final Channel other;
    private final Runnable closed;

    /** @param closed run once when this side closes */
    Tunnel(Channel other, Runnable closed) {
        this.other = other;
        this.closed = closed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!other.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        other.writeAndFlush(msg);
        if (!other.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        other.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (other.isActive()) {
            other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        closed.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
