package org.sessioncluster.balancer.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.sessioncluster.balancer.policy.Router;

/**
 * The proxy's data path on Netty: one event loop per core reads clients and talks to the nodes on the same thread
 * (native epoll on Linux, NIO elsewhere); TLS ends here when configured. Clients speak HTTP/1.1 or HTTP/2 (h2 over
 * TLS by ALPN; h2c by prior knowledge or Upgrade), each HTTP/2 stream a request of its own; the nodes are spoken to
 * in HTTP/1.1. See {@link ClientHandler}.
 */
public final class NettyProxy implements AutoCloseable {
    private static final int MAX_INITIAL_LINE = 8192;
    private static final int MAX_CHUNK = 65_536;
    /** An Upgrade: h2c request has no body (see shouldHandleUpgradeRequest): its headers only are kept. */
    private static final int MAX_UPGRADE_REQUEST = 1024;

    private final ProxySettings settings;
    private final EventLoopGroup accept;
    private final EventLoopGroup io;
    private final Class<? extends ServerChannel> serverType;
    private final ProxyParts parts;
    private Channel server;

    public NettyProxy(ProxySettings settings, Router router, ProxyMetrics metrics, PassiveHealth health) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Netty samples 1 buffer in 128 for leaks by default: a cost on every request of a proxy whose buffers
            // live for one exchange; -Dio.netty.leakDetection.level=simple in balancer.jvm.options turns it back on
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        this.settings = settings;
        boolean epoll = Epoll.isAvailable();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.accept = epoll
                ? new EpollEventLoopGroup(1, new DefaultThreadFactory("balancer-accept", true))
                : new NioEventLoopGroup(1, new DefaultThreadFactory("balancer-accept", true));
        this.io = epoll
                ? new EpollEventLoopGroup(threads, new DefaultThreadFactory("balancer-io", true))
                : new NioEventLoopGroup(threads, new DefaultThreadFactory("balancer-io", true));
        this.serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        NodeConnections nodes = new NodeConnections(
                epoll ? EpollSocketChannel.class : NioSocketChannel.class,
                settings.connectTimeoutMillis(),
                settings.responseTimeoutMillis());
        this.parts = new ProxyParts(router, metrics, health, nodes, settings);
    }

    /** Listens; a port that cannot be taken is an IOException that says which. */
    public void start() throws IOException {
        ChannelFuture bound = new ServerBootstrap()
                .group(accept, io)
                .channel(serverType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (settings.tls() != null) {
                            ch.pipeline().addLast(settings.tls().newHandler(ch.alloc()));
                            ch.pipeline()
                                    .addLast(
                                            new ApplicationProtocolNegotiationHandler(
                                                    ApplicationProtocolNames.HTTP_1_1) {
                                                @Override
                                                protected void configurePipeline(
                                                        ChannelHandlerContext ctx, String protocol) {
                                                    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                                        ctx.pipeline().addLast(http2Codec(), http2Streams());
                                                    } else {
                                                        http1(ctx.pipeline(), newCodec());
                                                    }
                                                }
                                            });
                        } else {
                            // h2c: by prior knowledge (the connection preface) or by Upgrade: h2c on a request
                            // without a body; anything else is HTTP/1.1
                            HttpServerCodec codec = newCodec();
                            HttpServerUpgradeHandler upgrade =
                                    new HttpServerUpgradeHandler(
                                            codec,
                                            protocol -> AsciiString.contentEquals(
                                                            Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                                                    ? new Http2ServerUpgradeCodec(http2Codec(), http2Streams())
                                                    : null,
                                            MAX_UPGRADE_REQUEST) {
                                        @Override
                                        protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
                                            return req.headers().containsValue(HttpHeaderNames.UPGRADE, "h2c", true)
                                                    && HttpUtil.getContentLength(req, 0L) == 0
                                                    && !HttpUtil.isTransferEncodingChunked(req);
                                        }
                                    };
                            ch.pipeline()
                                    .addLast(new CleartextHttp2ServerUpgradeHandler(
                                            codec, upgrade, new ChannelInitializer<Channel>() {
                                                @Override
                                                protected void initChannel(Channel c) {
                                                    c.pipeline().addLast(http2Codec(), http2Streams());
                                                }
                                            }));
                            http1(ch.pipeline(), null);
                        }
                    }
                })
                .bind(settings.host(), settings.port())
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            close();
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + " (balancer.port): "
                    + bound.cause().getMessage() + " (port in use?)");
        }
        server = bound.channel();
    }

    private HttpServerCodec newCodec() {
        return new HttpServerCodec(MAX_INITIAL_LINE, settings.maxHeaderBytes(), MAX_CHUNK);
    }

    /** HTTP/1.1 behind the codec (null: already in the pipeline): the client's idle timeout, then the proxy. */
    private void http1(ChannelPipeline pipeline, HttpServerCodec codec) {
        if (codec != null) {
            pipeline.addLast(codec);
        }
        pipeline.addLast(new IdleStateHandler(settings.clientTimeoutMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast(new ClientHandler(parts, false));
    }

    private Http2FrameCodec http2Codec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(settings.maxHeaderBytes()))
                .build();
    }

    /** Each HTTP/2 stream a request of its own, as HTTP/1.1 objects, through the same proxy. */
    private Http2MultiplexHandler http2Streams() {
        return new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                stream.pipeline()
                        .addLast(new Http2StreamFrameToHttpObjectCodec(true))
                        .addLast(new ClientHandler(parts, true));
            }
        });
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        accept.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
