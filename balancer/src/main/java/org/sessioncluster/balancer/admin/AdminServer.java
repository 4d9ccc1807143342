package org.sessioncluster.balancer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.balancer.proxy.ProxyMetrics;

/**
 * The balancer's admin side on its own (loopback by default) port, served by the JDK's HTTP server:
 * <ul>
 *   <li>{@code GET /} the live dashboard; {@code GET /admin/status} the same data as JSON;</li>
 *   <li>{@code POST /admin/nodes/<name>/drain|enable|disable}, {@code POST /admin/nodes/<name>/weight?value=N}
 *   (disable and weight may name a node that has not registered yet: it starts that way);</li>
 *   <li>{@code POST|PUT|DELETE /registry/<name>} register (form {@code url=}), renew, deregister; {@code GET /registry};</li>
 *   <li>{@code GET /metrics} Prometheus text.</li>
 * </ul>
 * Every change needs {@code Authorization: Bearer <balancer.admin.token>}; without it: 401, nothing changes.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AdminServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_WEIGHT = 256;

    private final HttpServer server;
    private final BackendPool pool;
    private final ProxyMetrics metrics;
    private final AdminToken token;
    private final String policy;
    private final NodeStatsPoller stats;

    public AdminServer(InetSocketAddress bind, BackendPool pool, ProxyMetrics metrics, String token, String policy)
            throws IOException {
        this.pool = pool;
        this.metrics = metrics;
        this.token = new AdminToken(token);
        this.policy = policy;
        this.stats = new NodeStatsPoller(pool);
        this.server = HttpServer.create(bind, 64);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "admin-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
        stats.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/") && method.equals("GET")) {
                dashboard(ex);
            } else if (path.equals("/admin/status") && method.equals("GET")) {
                send(ex, 200, "application/json", JSON.writeValueAsBytes(status()));
            } else if (path.equals("/metrics") && method.equals("GET")) {
                send(
                        ex,
                        200,
                        "text/plain; version=0.0.4",
                        BalancerMetricsText.render(pool, metrics).getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/registry") && method.equals("GET")) {
                send(ex, 200, "application/json", JSON.writeValueAsBytes(registry()));
            } else if (path.startsWith("/registry/")) {
                registryChange(ex, path.substring("/registry/".length()), method);
            } else if (path.equals("/admin/switch") && method.equals("POST")) {
                switchNodes(ex);
            } else if (path.startsWith("/admin/nodes/") && method.equals("POST")) {
                nodeChange(ex, path.substring("/admin/nodes/".length()));
            } else {
                error(ex, 404, "no such admin resource: " + method + " " + path);
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "admin request failed: " + e);
            error(ex, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private void registryChange(HttpExchange ex, String name, String method) throws IOException {
        if (!token.accepts(ex)) {
            error(ex, 401, "missing or wrong admin token");
            return;
        }
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            error(ex, 400, "a node name is 1 to 64 letters, digits or . _ -");
            return;
        }
        switch (method) {
            case "POST" -> {
                String url = form(ex).get("url");
                if (url == null || !url.matches("https?://[^\\s/]+:\\d{1,5}")) {
                    error(ex, 400, "form field 'url' must be http://host:port");
                    return;
                }
                pool.register(name, url);
                send(ex, 201, "application/json", "{\"registered\":true}".getBytes(StandardCharsets.UTF_8));
            }
            case "PUT" -> {
                if (pool.renew(name)) {
                    send(ex, 200, "application/json", "{\"renewed\":true}".getBytes(StandardCharsets.UTF_8));
                } else {
                    error(ex, 404, name + " is not registered; register it again");
                }
            }
            case "DELETE" -> {
                if (pool.deregister(name)) {
                    send(ex, 200, "application/json", "{\"deregistered\":true}".getBytes(StandardCharsets.UTF_8));
                } else {
                    error(ex, 404, name + " is not registered");
                }
            }
            default -> error(ex, 405, "use POST (register), PUT (renew) or DELETE (deregister)");
        }
    }

    private void nodeChange(HttpExchange ex, String rest) throws IOException {
        if (!token.accepts(ex)) {
            error(ex, 401, "missing or wrong admin token");
            return;
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            error(ex, 404, "use /admin/nodes/<name>/drain|enable|disable|weight");
            return;
        }
        String name = rest.substring(0, slash);
        String action = rest.substring(slash + 1);
        Backend b = pool.get(name).orElse(null);
        if (b == null
                && (action.equals("disable") || action.startsWith("weight"))
                && name.matches("[A-Za-z0-9._-]{1,64}")) {
            b = pool.reserve(name); // set up before the node registers (a green or canary node)
        }
        if (b == null) {
            error(
                    ex,
                    404,
                    "no node named '" + name + "'; known: "
                            + pool.all().stream().map(Backend::name).toList());
            return;
        }
        switch (action) {
            case "drain" -> b.setAdminState(Backend.AdminState.DRAINED);
            case "enable" -> b.setAdminState(Backend.AdminState.ENABLED);
            case "disable" -> b.setAdminState(Backend.AdminState.DISABLED);
            case "weight" -> {
                String value = query(ex).get("value");
                int weight;
                try {
                    weight = Integer.parseInt(value == null ? "" : value.trim());
                } catch (NumberFormatException e) {
                    weight = -1;
                }
                if (weight < 0 || weight > MAX_WEIGHT) {
                    error(
                            ex,
                            400,
                            "weight = '" + value + "' is not allowed; allowed: a whole number from 0 to " + MAX_WEIGHT);
                    return;
                }
                b.setWeight(weight);
            }
            default -> {
                error(ex, 404, "unknown action '" + action + "'; allowed: drain, enable, disable, weight");
                return;
            }
        }
        Backend changed = b;
        LOG.info(() -> name + ": " + action + " -> state " + changed.adminState() + ", weight " + changed.weight());
        send(ex, 200, "application/json", JSON.writeValueAsBytes(nodeJson(b)));
    }

    /**
     * {@code POST /admin/switch?enable=a,b&disable=c,d}: a blue-green switch in one step — every named node
     * enabled or disabled together, so no request sees a half-switched balancer. All names must be known.
     */
    private void switchNodes(HttpExchange ex) throws IOException {
        if (!token.accepts(ex)) {
            error(ex, 401, "missing or wrong admin token");
            return;
        }
        Map<String, String> q = query(ex);
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
                    error(ex, 404, "no node named '" + name.trim() + "'; nothing was switched");
                    return;
                }
                (group[0].equals("enable") ? enable : disable).add(b);
            }
        }
        enable.forEach(b -> b.setAdminState(Backend.AdminState.ENABLED));
        disable.forEach(b -> b.setAdminState(Backend.AdminState.DISABLED));
        LOG.info(() -> "switch: enabled " + enable.stream().map(Backend::name).toList() + ", disabled "
                + disable.stream().map(Backend::name).toList());
        send(ex, 200, "application/json", JSON.writeValueAsBytes(status()));
    }

    /** The status document the dashboard and {@code sessionctl status} read. */
    ObjectNode status() {
        ObjectNode root = JSON.createObjectNode();
        root.put("policy", policy);
        root.put("requests", metrics.requests());
        root.put("errors", metrics.errors());
        root.put("retries", metrics.retries());
        ArrayNode bounds = root.putArray("latencyBucketsMs");
        for (double ms : ProxyMetrics.BUCKETS_MS) {
            bounds.add(ms);
        }
        ArrayNode nodes = root.putArray("nodes");
        for (Backend b : pool.all()) {
            nodes.add(nodeJson(b));
        }
        return root;
    }

    private ObjectNode nodeJson(Backend b) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", b.name());
        n.put("url", b.url());
        n.put("registered", b.registered());
        n.put("healthy", b.healthy());
        n.put("state", b.adminState().name().toLowerCase());
        n.put("weight", b.weight());
        n.put("routable", b.routable());
        n.put("active", b.active().get());
        n.put("requests", b.requests().sum());
        n.put("errors", b.errors().sum());
        n.put("lastFailure", b.lastFailure());
        ArrayNode latency = n.putArray("latencyCounts");
        for (long c : b.latencyCounts()) {
            latency.add(c);
        }
        var node = stats.of(b.name());
        if (node != null) {
            n.set("node", node);
        }
        return n;
    }

    private ArrayNode registry() {
        ArrayNode list = JSON.createArrayNode();
        for (Backend b : pool.all()) {
            if (b.registered()) {
                ObjectNode n = list.addObject();
                n.put("name", b.name());
                n.put("url", b.url());
                n.put("healthy", b.healthy());
                n.put("state", b.adminState().name().toLowerCase());
                n.put("weight", b.weight());
            }
        }
        return list;
    }

    private void dashboard(HttpExchange ex) throws IOException {
        try (InputStream in = AdminServer.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                error(ex, 500, "dashboard.html is missing from the build");
                return;
            }
            send(ex, 200, "text/html; charset=utf-8", in.readAllBytes());
        }
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(4096);
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(HttpExchange ex) {
        return parse(ex.getRequestURI().getRawQuery());
    }

    private static Map<String, String> parse(String encoded) {
        Map<String, String> map = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return map;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("error", message);
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        stats.close();
        server.stop(0);
    }
}
