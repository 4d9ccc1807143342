package org.sessioncluster.webapp;

import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A read-only snapshot of a session for answers, and the one way to change a session: {@link #update}
 * reads the {@link ShopSession}, makes a new one (version + 1) and stores it with {@code setAttribute}
 * (Tomcat and Redisson replicate only what is set, never in-place mutation), so a client can tell a stale
 * copy from the current one.
 */
record SessionState(
        String id, String createdBy, String user, List<String> cart, int counter, int payloadBytes, long version) {
    static final String SHOP = "shop";
    static final String PAYLOAD = "payload";

    static final SessionState NONE = new SessionState(null, null, null, List.of(), 0, 0, 0);

    static SessionState of(HttpSession session) {
        if (session == null) {
            return NONE;
        }
        ShopSession shop = (ShopSession) session.getAttribute(SHOP);
        if (shop == null) {
            return new SessionState(session.getId(), null, null, List.of(), 0, 0, 0);
        }
        return new SessionState(
                session.getId(),
                shop.createdBy(),
                shop.user(),
                shop.cart(),
                shop.counter(),
                shop.payloadBytes(),
                shop.version());
    }

    /**
     * Applies a change to the session's state and stores the result (one setAttribute); a session without
     * state yet starts from one marked with this node as its creator. Returns the new state.
     */
    static ShopSession update(HttpSession session, UnaryOperator<ShopSession> change) {
        ShopSession current = (ShopSession) session.getAttribute(SHOP);
        ShopSession next = change.apply(current == null ? ShopSession.createdOn(NodeIdentity.name()) : current);
        session.setAttribute(SHOP, next);
        return next;
    }

    boolean exists() {
        return id != null;
    }

    /** A short digest of the state a client can compare with what it expects. */
    String digest() {
        String canonical = String.join(
                "|",
                String.valueOf(user),
                String.join(",", cart),
                Integer.toString(counter),
                Integer.toString(payloadBytes),
                Long.toString(version));
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
