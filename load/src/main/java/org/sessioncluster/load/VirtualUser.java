package org.sessioncluster.load;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One simulated shopper with their own session: visit after visit of log in → add items → view the cart
 * → (grow the session) → log out, checking each answer against what they expect. Without logout, the
 * shopper logs in once and ends each visit with a checkout (the cart is emptied), so the session keeps
 * its size.
 */
final class VirtualUser implements Runnable {
    private final int id;
    private final LoadPlan plan;
    private final NodeSelector selector;
    private final LoadHttp http;
    private final LoadStats stats;
    private final BooleanSupplier running;

    private String sessionId;
    private String user;
    private long version;
    private int cart;

    VirtualUser(int id, LoadPlan plan, NodeSelector selector, LoadHttp http, LoadStats stats, BooleanSupplier running) {
        this.id = id;
        this.plan = plan;
        this.selector = selector;
        this.http = http;
        this.stats = stats;
        this.running = running;
    }

    @Override
    public void run() {
        int visit = 0;
        while (running.getAsBoolean()) {
            visit++;
            if (user == null || plan.logout()) {
                login("user" + id + "v" + visit);
            }
            for (int i = 0; i < plan.itemsPerVisit() && user != null && running.getAsBoolean(); i++) {
                write("POST", "/cart/items", Map.of("item", "item" + i), 1);
            }
            if (!running.getAsBoolean()) {
                return;
            }
            if (user != null) {
                read("/cart");
            }
            if (plan.payloadBytes() > 0 && user != null && running.getAsBoolean()) {
                write("PUT", "/payload?bytes=" + plan.payloadBytes(), null, 0);
            }
            if (!running.getAsBoolean()) {
                return;
            }
            if (plan.logout()) {
                logout();
            } else if (cart > 0 && user != null) {
                write("DELETE", "/cart", null, -cart); // checkout
            }
        }
    }

    private void login(String name) {
        Reply r = exchange("POST", "/login", Map.of("user", name));
        Outcome o;
        if (!r.answered()) {
            o = Outcome.ERROR;
        } else if (!name.equals(r.text("user"))) {
            o = Outcome.SESSION_MISS;
        } else {
            o = Outcome.OK;
        }
        stats.record(id, r, o, true);
        user = name;
        resync(r);
    }

    private void write(String method, String path, Map<String, String> form, int cartDelta) {
        Reply r = exchange(method, path, form);
        Outcome o = ContinuityCheck.classify(r, user, version + 1, cart + cartDelta);
        stats.record(id, r, o, true);
        if (o == Outcome.STALE || o == Outcome.SESSION_MISS) {
            stats.continuity(id, method + " " + path, r, o, version + 1, cart + cartDelta);
        }
        if (o == Outcome.OK) {
            version++;
            cart += cartDelta;
        } else if (o == Outcome.SESSION_MISS) {
            lost();
        } else if (r.answered()) {
            resync(r);
        }
    }

    private void read(String path) {
        Reply r = exchange("GET", path, null);
        Outcome o = ContinuityCheck.classify(r, user, version, cart);
        stats.record(id, r, o, false);
        if (o == Outcome.STALE || o == Outcome.SESSION_MISS) {
            stats.continuity(id, "GET " + path, r, o, version, cart);
        }
        if (o == Outcome.SESSION_MISS) {
            lost();
        } else if (o != Outcome.OK && r.answered()) {
            resync(r);
        }
    }

    private void logout() {
        Reply r = exchange("POST", "/logout", Map.of());
        stats.record(id, r, r.answered() ? Outcome.OK : Outcome.ERROR, true);
        sessionId = null;
        user = null;
        version = 0;
        cart = 0;
    }

    /** The session is gone: like a real shopper, log in again at the next visit (one loss is counted once). */
    private void lost() {
        user = null;
        version = 0;
        cart = 0;
    }

    /** After a stale answer, expect what the server has now: one loss is counted once. */
    private void resync(Reply r) {
        long v = r.number("version");
        version = Math.max(v, 0);
        cart = Math.max(r.cartSize(), 0);
    }

    private Reply exchange(String method, String path, Map<String, String> form) {
        Set<Target> tried = new HashSet<>(2);
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Optional<Target> target = selector.next(tried);
            if (target.isEmpty()) {
                return new Reply(-1, null, null, null, System.nanoTime() - start, "no node to send to");
            }
            tried.add(target.get());
            try {
                LoadHttp.Exchange ex = http.send(target.get(), method, path, form, sessionId);
                sessionId = ex.sessionId();
                Reply r = ex.reply();
                Reply timed =
                        new Reply(r.status(), r.servedBy(), r.version(), r.body(), System.nanoTime() - start, null);
                think();
                return timed;
            } catch (LoadHttp.NotSent e) {
                selector.failed(target.get());
                if (attempt == 1 && selector.retriesOnConnectFailure()) {
                    stats.retried();
                    continue;
                }
                return new Reply(
                        -1,
                        null,
                        null,
                        null,
                        System.nanoTime() - start,
                        describe(method, path, target.get(), attempt, e));
            } catch (IOException e) {
                selector.failed(target.get());
                boolean idempotent = "GET".equals(method);
                if (attempt == 1 && idempotent && selector.retriesOnConnectFailure()) {
                    stats.retried();
                    continue;
                }
                return new Reply(
                        -1,
                        null,
                        null,
                        null,
                        System.nanoTime() - start,
                        describe(method, path, target.get(), attempt, e));
            }
        }
    }

    private static String describe(String method, String path, Target target, int attempt, IOException e) {
        return method + " " + path + " to " + target.name() + (attempt > 1 ? " (retry)" : "") + ": " + e.getMessage();
    }

    private void think() {
        long millis = plan.think().toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis); // think time: a shopper's pause between clicks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
