package org.sessioncluster.balancer.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.balancer.policy.Router;

/**
 * Brings the proxy's data path to the JIT's compiled code before real traffic arrives: a second proxy of the
 * same classes, on a loopback port of its own, in front of an in-process stand-in node, carries {@code requests}
 * keep-alive requests (reads with a session cookie, and a small POST in ten) and is closed. Run in the background,
 * at the balancer's start or once the nodes have registered ({@code LoadBalancer}); the real proxy, its metrics and
 * its nodes never see these requests. Without it the first seconds of traffic run in the interpreter and C1 (a
 * fifth of the steady throughput, measured).
 */
public final class ProxyWarmUp {
    private static final int CONNECTIONS = 4;
    private static final String ANSWER_BODY = "{\"status\":\"UP\",\"node\":\"warm-up\"}";
    private static final byte[] ANSWER = ("HTTP/1.1 200 \r\nX-Served-By: warm-up\r\nX-App-Version: 0\r\n"
                    + "Cache-Control: no-store\r\nContent-Type: application/json;charset=UTF-8\r\n"
                    + "Content-Length: " + ANSWER_BODY.length() + "\r\nDate: Sun, 06 Dec 2026 00:00:00 GMT\r\n\r\n"
                    + ANSWER_BODY)
            .getBytes(StandardCharsets.US_ASCII);

    /** What a warm-up did. */
    public record Result(long requests, long failures, long millis) {}

    private ProxyWarmUp() {}

    /**
     * Sends {@code requests} requests through a proxy like the real one ({@code template}'s limits and timeouts,
     * plain HTTP on a free loopback port, {@code policy}) to a stand-in node; returns when they are answered.
     */
    public static Result run(ProxySettings template, String policy, int requests) throws IOException {
        long start = System.nanoTime();
        EventLoopGroup nodeLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("balancer-warm-up-node", true));
        NettyProxy proxy = null;
        try {
            Channel node = standInNode(nodeLoop);
            int nodePort = ((InetSocketAddress) node.localAddress()).getPort();
            BackendPool pool = new BackendPool(name -> 1, TimeUnit.DAYS.toMillis(1));
            pool.register("warm-up", "http://127.0.0.1:" + nodePort);
            proxy = new NettyProxy(
                    new ProxySettings(
                            "127.0.0.1",
                            0,
                            template.maxHeaderBytes(),
                            template.maxBodyBytes(),
                            template.clientTimeoutMillis(),
                            template.connectTimeoutMillis(),
                            template.responseTimeoutMillis(),
                            null),
                    new Router(pool, policy),
                    new ProxyMetrics(),
                    (backend, why) -> {});
            proxy.start();
            int port = proxy.port();
            AtomicLong failures = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int share = requests / CONNECTIONS + (c < requests % CONNECTIONS ? 1 : 0);
                Thread t = new Thread(() -> failures.addAndGet(client(port, share)), "balancer-warm-up-" + c);
                t.setDaemon(true);
                t.start();
                clients.add(t);
            }
            for (Thread t : clients) {
                t.join();
            }
            return new Result(requests, failures.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("warm-up interrupted", e);
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            nodeLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /** A node that answers every request with a small JSON body, keeping the connection open. */
    private static Channel standInNode(EventLoopGroup loop) throws IOException {
        return HttpListener.bind(
                loop,
                new InetSocketAddress("127.0.0.1", 0),
                pipeline -> pipeline.addLast(
                        new HttpRequestDecoder(),
                        new HttpObjectAggregator(1 << 16),
                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                // as Tomcat answers: no reason phrase, these headers, a length
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(ANSWER));
                            }
                        }));
    }

    /** One keep-alive connection sending {@code count} requests one after another; returns how many failed. */
    private static long client(int port, int count) {
        byte[] health = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] read = ("GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: warm-up\r\n"
                        + "Cookie: JSESSIONID=0123456789ABCDEF.warm-up\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] write = ("POST /cart/items HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: warm-up\r\n"
                        + "Cookie: JSESSIONID=0123456789ABCDEF.warm-up\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\nitem=apple")
                .getBytes(StandardCharsets.US_ASCII);
        long failed = 0;
        int done = 0;
        while (done < count) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(5_000);
                OutputStream out = s.getOutputStream();
                InputStream in = new BufferedInputStream(s.getInputStream(), 4096);
                for (; done < count; done++) {
                    out.write(done % 10 == 9 ? write : done % 2 == 0 ? health : read);
                    out.flush();
                    if (readResponse(in) != 200) {
                        failed++;
                    }
                }
            } catch (IOException e) {
                failed++;
                done++; // counted and moved past: a broken connection is made again
            }
        }
        return failed;
    }

    /** Reads one response with a Content-Length body; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int status = Integer.parseInt(text.substring(9, 12));
        int length = 0;
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }
}
