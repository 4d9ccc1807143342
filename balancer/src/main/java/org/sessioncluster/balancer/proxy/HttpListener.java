package org.sessioncluster.balancer.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** A listening socket of the balancer's own small servers (the admin API, the warm-up's stand-in node). */
public final class HttpListener {
    private HttpListener() {}

    /**
     * Binds {@code at} on {@code loop}; each accepted connection's pipeline is made by {@code handlers}.
     *
     * @throws IOException the bind's own failure (a BindException for a port in use)
     */
    public static Channel bind(EventLoopGroup loop, InetSocketAddress at, Consumer<ChannelPipeline> handlers)
            throws IOException {
        try {
            return new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            handlers.accept(ch.pipeline());
                        }
                    })
                    .bind(at)
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) { // Netty rethrows the bind's own exception, checked or not
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e);
        }
    }
}
