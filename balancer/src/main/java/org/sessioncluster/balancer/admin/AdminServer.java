package org.sessioncluster.balancer.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.balancer.proxy.HttpListener;
import org.sessioncluster.balancer.proxy.ProxyMetrics;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.contract.RegistryEntry;

/**
 * The balancer's admin side on its own (loopback by default) port, on the same server library as the proxy
 * (Netty; a thread of its own, so a busy data path never holds it up) and routed by a table ({@link AdminRoutes}):
 * <ul>
 *   <li>{@code GET /} the live dashboard; {@code GET /admin/status} the same data as JSON;
 *   {@code GET /admin/history} the last 5 minutes per node and what happened meanwhile;</li>
 *   <li>{@code POST /admin/nodes/<name>/drain|enable|disable}, {@code POST /admin/nodes/<name>/weight?value=N}
 *   (disable and weight may name a node that has not registered yet: it starts that way);</li>
 *   <li>{@code POST /admin/switch?enable=a,b&disable=c,d};</li>
 *   <li>{@code POST|PUT|DELETE /registry/<name>} register (form {@code url=}), renew, deregister; {@code GET /registry};</li>
 *   <li>{@code GET /metrics} Prometheus text.</li>
 * </ul>
 * Every change needs {@code Authorization: Bearer <balancer.admin.token>}; without it: 401, nothing changes.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AdminServer.class.getName());
    private static final int MAX_BODY = 16 * 1024;
    static final int MAX_WEIGHT = 256;

    private final BackendPool pool;
    private final ProxyMetrics metrics;
    private final AdminToken token;
    private final String policy;
    private final BooleanSupplier warmedUp;
    private final NodeStatsPoller stats;
    private final BalancerMetrics prometheus;
    private final AdminHistory history;
    private final AdminRoutes routes;
    private final EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("balancer-admin", true));
    private final Channel server;

    /**
     * Binds at once: a port in use is a {@link java.net.BindException} here.
     *
     * @param warmedUp whether the data path's warm-up has ended, for the status document
     */
    public AdminServer(
            InetSocketAddress bind,
            BackendPool pool,
            ProxyMetrics metrics,
            String token,
            String policy,
            BooleanSupplier warmedUp)
            throws IOException {
        this.pool = pool;
        this.metrics = metrics;
        this.token = new AdminToken(token);
        this.policy = policy;
        this.warmedUp = warmedUp;
        this.stats = new NodeStatsPoller(pool);
        this.prometheus = new BalancerMetrics(pool, metrics);
        this.history = new AdminHistory(pool, stats::of);
        this.routes = new AdminRoutes()
                .add("GET", "/", (r, p) -> dashboard())
                .add("GET", "/admin/status", (r, p) -> AdminAnswer.json(200, status()))
                .add("GET", "/admin/history", (r, p) -> AdminAnswer.json(200, history.json()))
                .add(
                        "GET",
                        "/metrics",
                        (r, p) -> AdminAnswer.text(200, BalancerMetrics.contentType(), prometheus.render()))
                .add("GET", "/registry", (r, p) -> AdminAnswer.json(200, registry()))
                .add("POST", "/registry/{name}", this::register)
                .add("PUT", "/registry/{name}", this::renew)
                .add("DELETE", "/registry/{name}", this::deregister)
                .add("POST", "/admin/switch", this::switchNodes)
                .add("POST", "/admin/nodes/{name}/{action}", this::nodeChange);
        try {
            this.server = HttpListener.bind(
                    loop,
                    bind,
                    pipeline ->
                            pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY), new Handler()));
        } catch (IOException | RuntimeException e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public void start() {
        stats.start();
        history.start();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Reads each request whole, routes it, answers, and keeps the connection when the client does. */
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            AdminAnswer answer;
            if (!msg.decoderResult().isSuccess()) {
                answer = AdminAnswer.error(
                        400, "malformed request: " + msg.decoderResult().cause());
            } else {
                QueryStringDecoder uri = new QueryStringDecoder(msg.uri());
                int q = msg.uri().indexOf('?');
                AdminRequest request = new AdminRequest(
                        msg.method().name(),
                        uri.path(),
                        q < 0 ? "" : msg.uri().substring(q + 1),
                        msg.headers().get(HttpHeaderNames.AUTHORIZATION),
                        ByteBufUtil.getBytes(msg.content()));
                try {
                    answer = routes.dispatch(request);
                } catch (IOException | RuntimeException e) {
                    LOG.warning(() -> "admin request failed: " + e);
                    answer = AdminAnswer.error(
                            500, "internal error: " + e.getClass().getSimpleName());
                }
            }
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(answer.status()),
                    Unpooled.wrappedBuffer(answer.body()));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, answer.type())
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                    .set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
            boolean keepAlive = HttpUtil.isKeepAlive(msg);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private AdminAnswer register(AdminRequest r, Map<String, String> p) {
        return registryChange(r, p, name -> {
            String url = r.form().get("url");
            if (url == null || !url.matches("https?://[^\\s/]+:\\d{1,5}")) {
                return AdminAnswer.error(400, "form field 'url' must be http://host:port");
            }
            pool.register(name, url);
            return AdminAnswer.text(201, "application/json", "{\"registered\":true}");
        });
    }

    private AdminAnswer renew(AdminRequest r, Map<String, String> p) {
        return registryChange(
                r,
                p,
                name -> pool.renew(name)
                        ? AdminAnswer.text(200, "application/json", "{\"renewed\":true}")
                        : AdminAnswer.error(404, name + " is not registered; register it again"));
    }

    private AdminAnswer deregister(AdminRequest r, Map<String, String> p) {
        return registryChange(
                r,
                p,
                name -> pool.deregister(name)
                        ? AdminAnswer.text(200, "application/json", "{\"deregistered\":true}")
                        : AdminAnswer.error(404, name + " is not registered"));
    }

    /** A registry change: refused without the token or for a name that cannot be a node's, else made. */
    private AdminAnswer registryChange(
            AdminRequest r, Map<String, String> p, java.util.function.Function<String, AdminAnswer> change) {
        String name = p.get("name");
        AdminAnswer refused = refusal(r, name);
        return refused != null ? refused : change.apply(name);
    }

    /** A registry change without the token, or for a name that cannot be a node's: the answer; else null. */
    private AdminAnswer refusal(AdminRequest r, String name) {
        if (!token.accepts(r.authorization())) {
            return AdminAnswer.error(401, "missing or wrong admin token");
        }
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            return AdminAnswer.error(400, "a node name is 1 to 64 letters, digits or . _ -");
        }
        return null;
    }

    private AdminAnswer nodeChange(AdminRequest r, Map<String, String> p) {
        if (!token.accepts(r.authorization())) {
            return AdminAnswer.error(401, "missing or wrong admin token");
        }
        String name = p.get("name");
        String action = p.get("action");
        Backend b = pool.get(name).orElse(null);
        if (b == null
                && (action.equals("disable") || action.equals("weight"))
                && name.matches("[A-Za-z0-9._-]{1,64}")) {
            b = pool.reserve(name); // set up before the node registers (a green or canary node)
        }
        if (b == null) {
            return AdminAnswer.error(
                    404,
                    "no node named '" + name + "'; known: "
                            + pool.all().stream().map(Backend::name).toList());
        }
        switch (action) {
            case "drain" -> b.setAdminState(Backend.AdminState.DRAINED);
            case "enable" -> b.setAdminState(Backend.AdminState.ENABLED);
            case "disable" -> b.setAdminState(Backend.AdminState.DISABLED);
            case "weight" -> {
                String value = r.query().get("value");
                int weight;
                try {
                    weight = Integer.parseInt(value == null ? "" : value.trim());
                } catch (NumberFormatException e) {
                    weight = -1;
                }
                if (weight < 0 || weight > MAX_WEIGHT) {
                    return AdminAnswer.error(
                            400,
                            "weight = '" + value + "' is not allowed; allowed: a whole number from 0 to " + MAX_WEIGHT);
                }
                b.setWeight(weight);
            }
            default -> {
                return AdminAnswer.error(
                        404, "unknown action '" + action + "'; allowed: drain, enable, disable, weight");
            }
        }
        Backend changed = b;
        LOG.info(() -> name + ": " + action + " -> state " + changed.adminState() + ", weight " + changed.weight());
        history.event(name + " "
                + switch (action) {
                    case "drain" -> "drained";
                    case "enable" -> "enabled";
                    case "disable" -> "disabled";
                    default -> "weight " + changed.weight();
                });
        return AdminAnswer.json(200, backendStatus(b));
    }

    /**
     * {@code POST /admin/switch?enable=a,b&disable=c,d}: a blue-green switch in one step — every named node
     * enabled or disabled together, so no request sees a half-switched balancer. All names must be known.
     */
    private AdminAnswer switchNodes(AdminRequest r, Map<String, String> p) {
        if (!token.accepts(r.authorization())) {
            return AdminAnswer.error(401, "missing or wrong admin token");
        }
        Map<String, String> q = r.query();
        java.util.List<Backend> enable = new java.util.ArrayList<>();
        java.util.List<Backend> disable = new java.util.ArrayList<>();
        for (String[] group :
                new String[][] {{"enable", q.getOrDefault("enable", "")}, {"disable", q.getOrDefault("disable", "")}}) {
            for (String name : group[1].split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                Backend b = pool.get(name.trim()).orElse(null);
                if (b == null) {
                    return AdminAnswer.error(404, "no node named '" + name.trim() + "'; nothing was switched");
                }
                (group[0].equals("enable") ? enable : disable).add(b);
            }
        }
        enable.forEach(b -> b.setAdminState(Backend.AdminState.ENABLED));
        disable.forEach(b -> b.setAdminState(Backend.AdminState.DISABLED));
        String switched =
                "switch: enabled " + enable.stream().map(Backend::name).toList() + ", disabled "
                        + disable.stream().map(Backend::name).toList();
        LOG.info(() -> switched);
        history.event(switched);
        return AdminAnswer.json(200, status());
    }

    /** The status document the dashboard, rollouts and {@code sessionctl status} read. */
    BalancerStatus status() {
        List<Double> bounds = new ArrayList<>();
        for (double ms : ProxyMetrics.BUCKETS_MS) {
            bounds.add(ms);
        }
        List<BalancerStatus.Backend> nodes = new ArrayList<>();
        for (Backend b : pool.all()) {
            nodes.add(backendStatus(b));
        }
        return new BalancerStatus(
                policy,
                warmedUp.getAsBoolean(),
                metrics.requests(),
                metrics.errors(),
                metrics.retries(),
                bounds,
                nodes);
    }

    private BalancerStatus.Backend backendStatus(Backend b) {
        List<Long> latency = new ArrayList<>();
        for (long c : b.latencyCounts()) {
            latency.add(c);
        }
        return new BalancerStatus.Backend(
                b.name(),
                b.url(),
                b.registered(),
                b.healthy(),
                b.adminState().name().toLowerCase(),
                b.weight(),
                b.routable(),
                b.active().get(),
                b.requests().sum(),
                b.errors().sum(),
                b.lastFailure(),
                latency,
                stats.of(b.name()));
    }

    private List<RegistryEntry> registry() {
        List<RegistryEntry> list = new ArrayList<>();
        for (Backend b : pool.all()) {
            if (b.registered()) {
                list.add(new RegistryEntry(
                        b.name(), b.url(), b.healthy(), b.adminState().name().toLowerCase(), b.weight()));
            }
        }
        return list;
    }

    private AdminAnswer dashboard() throws IOException {
        try (InputStream in = AdminServer.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                return AdminAnswer.error(500, "dashboard.html is missing from the build");
            }
            return new AdminAnswer(200, "text/html; charset=utf-8", in.readAllBytes());
        }
    }

    @Override
    public void close() {
        history.close();
        stats.close();
        server.close().awaitUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
