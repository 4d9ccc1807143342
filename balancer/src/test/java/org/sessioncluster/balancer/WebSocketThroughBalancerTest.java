package org.sessioncluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;

/**
 * A WebSocket through the balancer: the handshake reaches the node the session cookie names (sticky), the 101
 * comes back, and then messages flow both ways on that node until the client closes. Real WebSocket servers
 * (Netty's) as the nodes, the JDK's WebSocket client.
 */
class WebSocketThroughBalancerTest {
    @TempDir
    Path dir;

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final List<Channel> nodes = new ArrayList<>();
    private LoadBalancer balancer;

    /** A WebSocket server at /ws that answers every text with "<name>:<text>". */
    private int startNode(String name) {
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(65_536))
                                .addLast(new WebSocketServerProtocolHandler("/ws"))
                                .addLast(new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                        ctx.writeAndFlush(new TextWebSocketFrame(name + ":" + f.text()));
                                    }
                                })
                                .addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest r) {
                                        // the balancer's health check (GET /health): any other plain request too
                                        FullHttpResponse ok = new DefaultFullHttpResponse(
                                                HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                                        HttpUtil.setContentLength(ok, 0);
                                        ctx.writeAndFlush(ok);
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
        nodes.add(ch);
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    @BeforeEach
    void start() throws Exception {
        int one = startNode("node-1");
        int two = startNode("node-2");
        balancer = TestBalancer.start(dir, Map.of(ConfigKeys.BALANCER_POLICY, "sticky"));
        balancer.pool().register("node-1", "http://127.0.0.1:" + one);
        balancer.pool().register("node-2", "http://127.0.0.1:" + two);
    }

    @AfterEach
    void stop() {
        if (balancer != null) {
            balancer.close();
        }
        nodes.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aWebSocketGoesToTheSessionsNodeAndCarriesMessagesBothWays() throws Exception {
        for (String home : List.of("node-2", "node-1")) {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .header("Cookie", "theme=dark; JSESSIONID=ABC123." + home)
                    .buildAsync(URI.create("ws://127.0.0.1:" + balancer.port() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            received.add(data.toString());
                            webSocket.request(1);
                            return CompletableFuture.completedFuture(null);
                        }
                    })
                    .get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                ws.sendText("m" + i, true).get(5, TimeUnit.SECONDS);
                assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(home + ":m" + i);
            }
            assertThat(balancer.pool().get(home).orElseThrow().active().get())
                    .as("an open WebSocket keeps its node busy")
                    .isEqualTo(1);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            balancer.pool().get(home).orElseThrow().active().get() == 0);
        }
    }
}
