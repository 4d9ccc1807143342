package org.sessioncluster.webapp;

import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the app keeps in a session, read as one snapshot. Writes go through {@link #update}: every change
 * ends in {@code setAttribute} (Tomcat and Redisson replicate only what is set, never in-place mutation)
 * and bumps a version counter so a client can tell a stale copy from the current one.
 */
record SessionState(String id, String createdBy, String user, List<String> cart, int counter, int payloadBytes,
                    long version) {
    static final String USER = "user";
    static final String CART = "cart";
    static final String COUNTER = "counter";
    static final String PAYLOAD = "payload";
    static final String CREATED_BY = "createdBy";
    static final String VERSION = "version";

    static final SessionState NONE = new SessionState(null, null, null, List.of(), 0, 0, 0);

    static SessionState of(HttpSession session) {
        if (session == null) {
            return NONE;
        }
        @SuppressWarnings("unchecked")
        List<String> cart = (List<String>) session.getAttribute(CART);
        Integer counter = (Integer) session.getAttribute(COUNTER);
        byte[] payload = (byte[]) session.getAttribute(PAYLOAD);
        Long version = (Long) session.getAttribute(VERSION);
        return new SessionState(session.getId(), (String) session.getAttribute(CREATED_BY),
                (String) session.getAttribute(USER), cart == null ? List.of() : List.copyOf(cart),
                counter == null ? 0 : counter, payload == null ? 0 : payload.length, version == null ? 0 : version);
    }

    /** Marks a new session with the node that made it. */
    static void initialise(HttpSession session) {
        if (session.getAttribute(CREATED_BY) == null) {
            session.setAttribute(CREATED_BY, NodeIdentity.name());
            session.setAttribute(VERSION, 0L);
        }
    }

    /** Sets one attribute and bumps the version, both with setAttribute so every manager sees the change. */
    static void update(HttpSession session, String name, Object value) {
        session.setAttribute(name, value);
        Long version = (Long) session.getAttribute(VERSION);
        session.setAttribute(VERSION, (version == null ? 0 : version) + 1);
    }

    static void addToCart(HttpSession session, String item) {
        @SuppressWarnings("unchecked")
        List<String> current = (List<String>) session.getAttribute(CART);
        ArrayList<String> cart = current == null ? new ArrayList<>() : new ArrayList<>(current);
        cart.add(item);
        update(session, CART, cart);
    }

    static int increment(HttpSession session) {
        Integer counter = (Integer) session.getAttribute(COUNTER);
        int next = (counter == null ? 0 : counter) + 1;
        update(session, COUNTER, next);
        return next;
    }

    boolean exists() {
        return id != null;
    }

    /** A short digest of the state a client can compare with what it expects. */
    String digest() {
        String canonical = String.join("|", String.valueOf(user), String.join(",", cart),
                Integer.toString(counter), Integer.toString(payloadBytes), Long.toString(version));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = Json.object();
        json.put("node", NodeIdentity.name());
        json.put("exists", exists());
        json.put("id", id);
        json.put("createdBy", createdBy);
        json.put("user", user);
        json.put("cart", cart);
        json.put("counter", counter);
        json.put("payloadBytes", payloadBytes);
        json.put("version", version);
        json.put("digest", digest());
        return json;
    }
}
