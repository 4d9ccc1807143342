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
    /**
     * The cart change of the last write that got no answer, or null. Such a write may or may not have been
     * applied (the node can die after changing the session and before answering), so until the next answer
     * either cart is right; a later answer that carries the change is not stale.
     */
    private Integer unconfirmedCartDelta;

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
        unconfirmedCartDelta = null;
        if (o == Outcome.ERROR) {
            lost(); // unknown whether the login happened: log in again at the next visit
            return;
        }
        user = name;
        resync(r);
    }

    private void write(String method, String path, Map<String, String> form, int cartDelta) {
        String sentWith = sessionId;
        Reply r = exchange(method, path, form);
        int expectedCart = lowestCart(cart + cartDelta);
        Outcome o = ContinuityCheck.classify(r, user, version + 1, expectedCart);
        stats.record(id, r, o, true);
        if (o == Outcome.STALE || o == Outcome.SESSION_MISS) {
            stats.continuity(id, sentWith, method + " " + path, r, o, version + 1, expectedCart);
        }
        if (o == Outcome.ERROR) {
            unconfirmedCartDelta = unconfirmedCartDelta == null ? cartDelta : unconfirmedCartDelta + cartDelta;
            return;
        }
        if (o == Outcome.OK && unconfirmedCartDelta == null) {
            version++;
            cart += cartDelta;
        } else if (o == Outcome.SESSION_MISS) {
            lost();
        } else {
            resync(r); // after an unanswered write, the answer says which way it went
        }
        unconfirmedCartDelta = null;
    }

    /** The smallest cart an answer may show: with a write unconfirmed, it may or may not have happened. */
    private int lowestCart(int expected) {
        return unconfirmedCartDelta == null ? expected : Math.min(expected, expected + unconfirmedCartDelta);
    }

    private void read(String path) {
        String sentWith = sessionId;
        Reply r = exchange("GET", path, null);
        int expectedCart = lowestCart(cart);
        Outcome o = ContinuityCheck.classify(r, user, version, expectedCart);
        stats.record(id, r, o, false);
        if (o != Outcome.OK) { // a failed GET counts against the goals too, so it is described as well
            stats.continuity(id, sentWith, "GET " + path, r, o, version, expectedCart);
        }
        if (o != Outcome.ERROR && unconfirmedCartDelta != null) {
            unconfirmedCartDelta = null;
            if (o == Outcome.OK) {
                resync(r);
                return;
            }
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
        unconfirmedCartDelta = null;
    }

    /** The session is gone: like a real shopper, log in again at the next visit (one loss is counted once). */
    private void lost() {
        user = null;
        version = 0;
        cart = 0;
        unconfirmedCartDelta = null;
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
            } catch (IOException e) {
                selector.failed(target.get());
                // a request that never left may go to another node; one whose answer was lost only if it is a GET
                boolean retry = e instanceof LoadHttp.NotSent || "GET".equals(method);
                if (attempt == 1 && retry && selector.retriesOnConnectFailure()) {
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
