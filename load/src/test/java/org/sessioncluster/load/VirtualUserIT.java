package org.sessioncluster.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a virtual user counts what it sees, against a small real HTTP shop that keeps the webapp's contract
 * (login, cart items, cart, checkout; each answer carries the user, the session's version and the cart)
 * and misbehaves on purpose: it applies a checkout and then answers 502, as a balancer does when the node
 * died after changing the session and before answering; or it answers a read with an older copy.
 */
class VirtualUserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The shop: sessions by id; {@code failAfterApplying} and {@code answerOld} pick requests (1-based) to spoil. */
    private String startShop(IntPredicate failAfterApplying, IntPredicate answerOld) throws IOException {
        record State(String user, long version, List<String> cart) {}
        Map<String, State> sessions = new ConcurrentHashMap<>();
        AtomicInteger requests = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", (HttpExchange ex) -> {
            int n = requests.incrementAndGet();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String cookie = ex.getRequestHeaders().getFirst("Cookie");
            String id = cookie == null ? null : cookie.replace("JSESSIONID=", "");
            State s = id == null ? null : sessions.get(id);
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/login")) {
                id = UUID.randomUUID().toString();
                s = new State(body.replace("user=", ""), 1, List.of());
            } else if (s != null && path.equals("/cart/items")) {
                List<String> cart = new ArrayList<>(s.cart());
                cart.add(body);
                s = new State(s.user(), s.version() + 1, cart);
            } else if (s != null && path.equals("/cart") && method.equals("DELETE")) {
                s = new State(s.user(), s.version() + 1, List.of());
            }
            if (s != null) {
                sessions.put(id, s);
            }
            State shown = s;
            if (s != null && answerOld.test(n) && s.version() > 2) {
                shown = new State(s.user(), s.version() - 2, s.cart()); // two changes behind
            }
            byte[] out;
            int status;
            if (failAfterApplying.test(n)) {
                status = 502;
                out = "{\"error\":\"the node failed to answer\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                if (path.equals("/login")) {
                    // a node that dies before answering sends no cookie either
                    ex.getResponseHeaders().add("Set-Cookie", "JSESSIONID=" + id + "; Path=/");
                }
                Map<String, Object> json = new java.util.LinkedHashMap<>();
                json.put("user", shown == null ? null : shown.user());
                json.put("version", shown == null ? 0 : shown.version());
                json.put("cart", shown == null ? List.of() : shown.cart());
                out = JSON.writeValueAsBytes(json);
            }
            ex.getResponseHeaders().add("X-Served-By", "shop");
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** One user, 3 items per visit and a checkout, for about {@code requests} requests. */
    private static LoadStats run(String url, int requests) {
        LoadStats stats = new LoadStats();
        LoadPlan plan = new LoadPlan(1, 3, 0, Duration.ZERO, null, requests, false);
        NodeSelector one = new NodeSelector() {
            private final Target shop = new Target("shop", url);

            @Override
            public Optional<Target> next(Set<Target> exclude) {
                return exclude.contains(shop) ? Optional.empty() : Optional.of(shop);
            }

            @Override
            public void failed(Target target) {}

            @Override
            public boolean retriesOnConnectFailure() {
                return false;
            }
        };
        try (LoadHttp http = new LoadHttp(1)) {
            new VirtualUser(1, plan, one, http, stats, () -> stats.requests() < requests).run();
        }
        return stats;
    }

    @Test
    void aWriteAppliedButUnansweredIsAnErrorAndNotAStaleSessionAfterIt() throws Exception {
        // visit: login (1), items (2-4), cart (5), checkout (6), items (7-9), cart (10), checkout (11), ...
        String url = startShop(n -> n == 6, n -> false);
        LoadStats stats = run(url, 30);
        assertThat(stats.count(Outcome.ERROR)).as("the checkout that got a 502").isEqualTo(1);
        assertThat(stats.count(Outcome.STALE))
                .as("the checkout did happen: the smaller cart after it is not stale")
                .isZero();
        assertThat(stats.count(Outcome.SESSION_MISS)).isZero();
        assertThat(stats.count(Outcome.OK)).isEqualTo(stats.requests() - 1);
    }

    @Test
    void anOlderCopyIsStillStale() throws Exception {
        String url = startShop(n -> false, n -> n == 5); // the cart view after three items shows version - 2
        LoadStats stats = run(url, 30);
        assertThat(stats.count(Outcome.STALE)).isEqualTo(1);
        assertThat(stats.count(Outcome.ERROR)).isZero();
        assertThat(stats.summary(1).continuitySamples())
                .singleElement()
                .asString()
                .contains("GET /cart for user 1")
                .contains("on shop: stale, version 2, cart 3; expected version 4, cart 3");
    }

    @Test
    void aCopyOlderThanTheLastConfirmedWriteIsStaleEvenAfterAnUnansweredWrite() throws Exception {
        // an item (3) applied but unanswered, then an item (4) answered two changes behind: older than item 2,
        // which was confirmed (one change behind would be indistinguishable from item 3 not having happened)
        String url = startShop(n -> n == 3, n -> n == 4);
        LoadStats stats = run(url, 30);
        assertThat(stats.count(Outcome.ERROR)).isEqualTo(1);
        assertThat(stats.count(Outcome.STALE)).isEqualTo(1);
    }

    @Test
    void aLoginThatGotNoAnswerIsTriedAgainInsteadOfCountingTheSessionLost() throws Exception {
        String url = startShop(n -> n == 1, n -> false);
        LoadStats stats = run(url, 20);
        assertThat(stats.count(Outcome.ERROR)).isEqualTo(1);
        assertThat(stats.count(Outcome.SESSION_MISS)).isZero();
        assertThat(stats.usersWithMiss()).isZero();
    }
}
