package org.sessioncluster.webapp;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a visitor's session holds, as one immutable, Serializable value under one attribute. One value
 * means one read and one write per request for every session manager: Redisson in REDIS read mode asks
 * Redis once per getAttribute, so a state spread over many attributes costs a round trip each. The
 * payload that grows the session on purpose lives in an attribute of its own, so ordinary requests do
 * not copy it around.
 */
final class ShopSession implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String createdBy;
    private final String user;
    private final ArrayList<String> cart;
    private final int counter;
    private final int payloadBytes;
    private final long version;

    ShopSession(String createdBy, String user, List<String> cart, int counter, int payloadBytes, long version) {
        this.createdBy = createdBy;
        this.user = user;
        this.cart = new ArrayList<>(cart);
        this.counter = counter;
        this.payloadBytes = payloadBytes;
        this.version = version;
    }

    static ShopSession createdOn(String node) {
        return new ShopSession(node, null, List.of(), 0, 0, 0);
    }

    String createdBy() {
        return createdBy;
    }

    String user() {
        return user;
    }

    List<String> cart() {
        return List.copyOf(cart);
    }

    int counter() {
        return counter;
    }

    int payloadBytes() {
        return payloadBytes;
    }

    long version() {
        return version;
    }

    ShopSession withUser(String newUser) {
        return new ShopSession(createdBy, newUser, cart, counter, payloadBytes, version + 1);
    }

    ShopSession withItem(String item) {
        ArrayList<String> more = new ArrayList<>(cart);
        more.add(item);
        return new ShopSession(createdBy, user, more, counter, payloadBytes, version + 1);
    }

    ShopSession withEmptyCart() {
        return new ShopSession(createdBy, user, List.of(), counter, payloadBytes, version + 1);
    }

    ShopSession counted() {
        return new ShopSession(createdBy, user, cart, counter + 1, payloadBytes, version + 1);
    }

    ShopSession withPayload(int bytes) {
        return new ShopSession(createdBy, user, cart, counter, bytes, version + 1);
    }
}
