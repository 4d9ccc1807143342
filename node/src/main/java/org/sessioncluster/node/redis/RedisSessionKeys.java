package org.sessioncluster.node.redis;

import java.util.List;

/**
 * Where a session lives in Redis. Every key of one session carries the session id as its hash tag
 * ({@code {id}}), so a sharded Redis Cluster keeps them on one shard and the scripts may touch them together:
 * {@code <prefix>{id}} the hash, {@code <prefix>{id}:lock} the request lock, {@code <prefix>{id}:expires}
 * the expiry marker (the hash outlives it by a grace period so the listeners can still read it).
 */
record RedisSessionKeys(String prefix) {
    static final String LOCK = ":lock";
    static final String MARKER = ":expires";

    String data(String id) {
        return prefix + "{" + id + "}";
    }

    String lock(String id) {
        return data(id) + LOCK;
    }

    String marker(String id) {
        return data(id) + MARKER;
    }

    /** data, lock, marker: the order every script takes them in. */
    List<Object> all(String id) {
        return List.of(data(id), lock(id), marker(id));
    }

    /** The session id of an expiry marker's key, or null for any other key. */
    String idOfMarker(String key) {
        if (!key.startsWith(prefix + "{") || !key.endsWith("}" + MARKER)) {
            return null;
        }
        return key.substring(prefix.length() + 1, key.length() - MARKER.length() - 1);
    }
}
