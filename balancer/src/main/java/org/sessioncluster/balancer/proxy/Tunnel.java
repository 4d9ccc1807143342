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

    /**
     * Makes the client's connection and the node's one tunnel: HTTP handlers out, a {@link Tunnel} on each side.
     * The codecs go last, so that what they hold already (the first frames) passes into the tunnel; the node
     * counts as busy until the tunnel ends.
     */
    static void join(ClientHandler client, Channel nodeChannel, org.sessioncluster.balancer.backend.Backend tunnelled) {
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
        np.addLast(new Tunnel(client.ctx.channel(), closed));
        np.remove(io.netty.handler.codec.http.HttpClientCodec.class);
        io.netty.channel.ChannelPipeline cp = client.ctx.pipeline();
        client.discarding = false;
        // a tunnel ends when either side closes, its sending side too (HTTP allowed that half of a close)
        client.halfClosure(false);
        cp.addLast(new Tunnel(nodeChannel, closed));
        cp.remove(io.netty.handler.timeout.IdleStateHandler.class);
        cp.remove(client);
        cp.remove(io.netty.handler.codec.http.HttpServerCodec.class);
        nodeChannel.config().setAutoRead(true);
        client.ctx.channel().config().setAutoRead(true);
    }
}
