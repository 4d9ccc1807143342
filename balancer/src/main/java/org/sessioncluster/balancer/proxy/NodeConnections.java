package org.sessioncluster.balancer.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sessioncluster.balancer.backend.Backend;

/**
 * Keep-alive connections to the nodes, one pool per event loop: a client's request goes out on a connection of
 * the loop that reads the client, so a request and its answer never change threads and the pools need no lock.
 * A connection idle for the response timeout is closed (before a node's own keep-alive timeout would).
 */
final class NodeConnections {
    /** The exchange a node connection serves now; none while it waits in the pool. */
    static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("session-cluster.exchange");

    private static final AttributeKey<Backend> NODE = AttributeKey.valueOf("session-cluster.node");
    private static final int MAX_IDLE_PER_NODE = 64;

    private final Class<? extends Channel> channelType;
    private final int connectTimeoutMillis;
    private final int responseTimeoutMillis;
    private final NodeHandler handler = new NodeHandler(this);
    /** Per event loop (read and written on that loop only): idle connections per node. */
    private final Map<EventLoop, Map<Backend, ArrayDeque<Channel>>> idle =
            new java.util.concurrent.ConcurrentHashMap<>();

    NodeConnections(Class<? extends Channel> channelType, int connectTimeoutMillis, int responseTimeoutMillis) {
        this.channelType = channelType;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.responseTimeoutMillis = responseTimeoutMillis;
    }

    /** An idle connection of this loop to the node, or null. */
    Channel pooled(EventLoop loop, Backend node) {
        ArrayDeque<Channel> free = idleOf(loop).get(node);
        InetSocketAddress address = node.address();
        while (free != null && !free.isEmpty()) {
            Channel ch = free.pollLast(); // the most recently used: the warmest, the least likely closed meanwhile
            if (ch.isActive() && address.equals(ch.remoteAddress())) {
                return ch;
            }
            ch.close();
        }
        return null;
    }

    /** Starts a new connection to the node on this loop. */
    ChannelFuture connect(EventLoop loop, Backend node) {
        return new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, true)
                .attr(NODE, node)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                // the nodes' answers are ours to trust: their headers are not checked again
                                .addLast(new HttpClientCodec(4096, 65_536, 65_536, false, false))
                                .addLast(new IdleStateHandler(responseTimeoutMillis, 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(handler);
                    }
                })
                .connect(node.address());
    }

    /** The connection is free again: into its loop's pool (or closed, when the pool is full). */
    void release(Channel ch) {
        ch.attr(EXCHANGE).set(null);
        Backend node = ch.attr(NODE).get();
        if (!ch.isActive() || node == null) {
            ch.close();
            return;
        }
        ArrayDeque<Channel> free = idleOf(ch.eventLoop()).computeIfAbsent(node, n -> new ArrayDeque<>());
        if (free.size() >= MAX_IDLE_PER_NODE) {
            ch.close();
        } else {
            free.addLast(ch);
        }
    }

    /** An idle connection closed or timed out: out of the pool. */
    void forget(Channel ch) {
        Backend node = ch.attr(NODE).get();
        ArrayDeque<Channel> free = node == null ? null : idleOf(ch.eventLoop()).get(node);
        if (free != null) {
            free.remove(ch);
        }
    }

    private Map<Backend, ArrayDeque<Channel>> idleOf(EventLoop loop) {
        return idle.computeIfAbsent(loop, l -> new HashMap<>());
    }
}
