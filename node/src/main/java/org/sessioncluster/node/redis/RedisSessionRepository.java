package org.sessioncluster.node.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Redis side of the redis session mode: each operation on a session is one Lua script, so one round
 * trip (counted in {@link #roundTrips()}). Values travel as bytes; the Tomcat side decides what they mean.
 */
final class RedisSessionRepository {
    /** What {@link #fetch} found. */
    enum Found {
        LOCKED,
        NONE,
        CURRENT,
        LOADED
    }

    /**
     * @param found      what the fetch found
     * @param version    the stored version (CURRENT, LOADED)
     * @param fields     the whole hash (LOADED), else empty
     * @param lockMillis how long the other request's lock still lives (LOCKED)
     */
    record Fetch(Found found, String version, Map<String, byte[]> fields, long lockMillis) {}

    /** A save refused because the stored version was not the one the request loaded. */
    record Saved(boolean ok, String version) {}

    private static final String FETCH = script("fetch.lua");
    private static final String SAVE = script("save.lua");
    private static final String RELEASE = script("release.lua");
    private static final String DELETE = script("delete.lua");
    private static final String RENAME = script("rename.lua");
    private static final String CLAIM_EXPIRED = script("claim-expired.lua");
    private static final Map<String, String> SHA = digests(FETCH, SAVE, RELEASE, DELETE, RENAME, CLAIM_EXPIRED);

    /** How long a command is tried again while the connection to Redis is down (a failover takes about 2–3 s). */
    static final Duration RETRY_BUDGET = Duration.ofMillis(4500);

    private final RedisConnection redis;
    private final RedisSessionKeys keys;
    private final SessionRules rules;
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder syncShortfalls = new LongAdder();

    RedisSessionRepository(RedisConnection redis, RedisSessionKeys keys, SessionRules rules) {
        this.redis = redis;
        this.keys = keys;
        this.rules = rules;
    }

    /** Loads every script into Redis once, so the first request of each kind is one EVALSHA, not three commands. */
    void preload() {
        for (String lua : List.of(FETCH, SAVE, RELEASE, DELETE, RENAME, CLAIM_EXPIRED)) {
            String sha = redis.scriptLoad(lua);
            if (!sha.equalsIgnoreCase(SHA.get(lua))) {
                throw new IllegalStateException("Redis names a script " + sha + ", this node computed " + SHA.get(lua));
            }
        }
    }

    RedisConnection redis() {
        return redis;
    }

    /** True on a Redis Cluster, where the keys of two sessions may sit on different shards. */
    boolean sharded() {
        return redis.cluster();
    }

    RedisSessionKeys keys() {
        return keys;
    }

    /** Round trips to Redis so far (one per script; a save with replica sync counts one). */
    long roundTrips() {
        return roundTrips.sum();
    }

    /** Saves the replicas did not all acknowledge in time (redis.sync.replicas). */
    long syncShortfalls() {
        return syncShortfalls.sum();
    }

    /**
     * Locks (when {@code token} is not empty) and loads a session, pushing its expiry back when the last push
     * is older than the touch interval. {@code haveVersion}: the version of a copy the caller holds ("" none);
     * {@code holder}: this node's name when it keeps the copy it loads ("" when nodes keep none).
     */
    Fetch fetch(String id, String token, long leaseMillis, String haveVersion, long now, String holder) {
        List<Object> r = eval(
                FETCH,
                keys.all(id),
                token,
                Long.toString(leaseMillis),
                haveVersion,
                Long.toString(now),
                Long.toString(rules.touchMillis()),
                Long.toString(rules.graceMillis()),
                holder);
        long code = (Long) r.get(0);
        if (code == 0) {
            return new Fetch(Found.LOCKED, "", Map.of(), (Long) r.get(1));
        }
        if (code == 1) {
            return new Fetch(Found.NONE, "", Map.of(), 0);
        }
        String version = text(r.get(1));
        if (code == 2) {
            return new Fetch(Found.CURRENT, version, Map.of(), 0);
        }
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (int i = 2; i + 1 < r.size(); i += 2) {
            fields.put(text(r.get(i)), (byte[]) r.get(i + 1));
        }
        return new Fetch(Found.LOADED, version, fields, 0);
    }

    /**
     * Writes the changed attributes and removes the removed ones, if the stored version is {@code expected}
     * ("" for a new session, "*" for no check); then sets the expiry, releases the lock, publishes
     * {@code message + " " + newVersion} on {@code channel} (when not empty) if a node other than
     * {@code holder} may keep a copy, and records {@code holder} as the one that does.
     */
    Saved save(
            String id,
            String token,
            String expected,
            long now,
            int maxInactiveSeconds,
            long creationTime,
            String channel,
            String message,
            String holder,
            Map<String, byte[]> set,
            List<String> removed) {
        List<Object> args = new ArrayList<>(List.of(
                token,
                expected,
                Long.toString(now),
                Integer.toString(maxInactiveSeconds),
                Long.toString(rules.touchMillis()),
                Long.toString(rules.graceMillis()),
                Long.toString(creationTime),
                channel,
                message,
                holder,
                Integer.toString(set.size())));
        set.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        args.addAll(removed);
        List<Object> r =
                rules.syncReplicas() > 0 ? evalAndWait(keys.all(id), args) : eval(SAVE, keys.all(id), args.toArray());
        return new Saved((Long) r.get(0) == 1, text(r.get(1)));
    }

    void release(String id, String token) {
        eval(RELEASE, List.of(keys.lock(id)), token);
    }

    /**
     * Removes every key of the session; publishes {@code message} on {@code channel} (when not empty) if a node
     * other than {@code holder} may keep a copy (always when {@code holder} is "": holders are not recorded).
     */
    void delete(String id, String channel, String message, String holder) {
        eval(DELETE, keys.all(id), channel, message, holder);
    }

    /** Renames in one step, moving the lock {@code token} holds; false when nothing was stored under oldId yet. */
    boolean rename(
            String oldId, String newId, String token, long leaseMillis, String channel, String message, String holder) {
        List<Object> k = List.of(
                keys.data(oldId),
                keys.data(newId),
                keys.lock(oldId),
                keys.lock(newId),
                keys.marker(oldId),
                keys.marker(newId));
        List<Object> r = evalRaw(RENAME, k, token, Long.toString(leaseMillis), channel, message, holder);
        return r != null && !r.isEmpty() && Long.valueOf(1).equals(r.get(0));
    }

    /** The data of a session whose expiry marker expired, taken and removed; empty when touched again or taken. */
    Map<String, byte[]> claimExpired(String id) {
        List<Object> r = eval(CLAIM_EXPIRED, List.of(keys.data(id), keys.marker(id), keys.lock(id)));
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < r.size(); i += 2) {
            fields.put(text(r.get(i)), (byte[]) r.get(i + 1));
        }
        return fields;
    }

    private List<Object> eval(String lua, List<Object> keyList, Object... args) {
        List<Object> r = evalRaw(lua, keyList, args);
        return r == null ? List.of() : r;
    }

    private List<Object> evalRaw(String lua, List<Object> keyList, Object... args) {
        return retrying(() -> evalOnce(lua, keyList, args));
    }

    private List<Object> evalOnce(String lua, List<Object> keyList, Object... args) {
        roundTrips.increment();
        String[] keyArray = keys(keyList);
        byte[][] values = bytes(args);
        Object result;
        try {
            try {
                // the digest is computed once per script, not per call
                result = redis.evalsha(SHA.get(lua), keyArray, values);
            } catch (JedisNoScriptException e) {
                // a restarted or newly promoted Redis without the script: EVAL loads it again
                result = redis.eval(lua, keyArray, values);
            }
        } catch (JedisDataException e) {
            throw describe(e, keyArray[0]);
        }
        return asList(result);
    }

    /** The save and a WAIT for the replicas on one connection: once they acknowledge, they have the save. */
    private List<Object> evalAndWait(List<Object> keyList, List<Object> args) {
        return retrying(() -> evalAndWaitOnce(keyList, args));
    }

    private List<Object> evalAndWaitOnce(List<Object> keyList, List<Object> args) {
        roundTrips.increment();
        String[] keyArray = keys(keyList);
        byte[][] values = bytes(args.toArray());
        try {
            Supplier<RedisConnection.Waited> save = () -> redis.evalshaAndWait(
                    SHA.get(SAVE),
                    keyArray,
                    values,
                    rules.syncReplicas(),
                    rules.syncTimeout().toMillis());
            RedisConnection.Waited w;
            try {
                w = save.get();
            } catch (JedisNoScriptException e) {
                redis.scriptLoad(SAVE); // a restarted or newly promoted Redis without the script
                w = save.get();
            }
            if (w.replicas() < rules.syncReplicas()) {
                syncShortfalls.increment(); // kept on the primary: refusing writes would turn a failover into an outage
            }
            return asList(w.reply());
        } catch (JedisDataException e) {
            throw describe(e, keyArray[0]);
        }
    }

    /**
     * Runs {@code call} again while Redis cannot be reached or the connection broke before a reply (see
     * {@link RedisConnection.Unreachable}), for up to the retry budget ({@link #RETRY_BUDGET} by default): long enough for a Sentinel's
     * failover and the reconnect, so a request during one waits instead of failing. A command that got no reply
     * in time ({@link RedisConnection.NoReply}) or an error reply is not repeated; a save that did land and is sent
     * again is refused by its version check (a 503 to retry, never a double write).
     */
    private <T> T retrying(java.util.function.Supplier<T> call) {
        long deadline = System.nanoTime() + rules.retryBudget().toNanos();
        for (long pause = 20; ; pause = Math.min(pause * 2, 250)) {
            try {
                return call.get();
            } catch (RedisConnection.Unreachable e) {
                if (System.nanoTime() + pause * 1_000_000 - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pause); // the back-off while Redis comes back or fails over
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisConnection.Unreachable("interrupted while Redis was unreachable", e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object result) {
        // a script returning one integer (rename) may come back as a Long, not a list
        if (result instanceof List<?> list) {
            return (List<Object>) list;
        }
        return result == null ? null : List.of(result);
    }

    private static RuntimeException describe(JedisDataException e, String key) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("WRONGTYPE")) {
            return new SessionFormatException("Redis key " + key + " is not a session hash of this format (WRONGTYPE)");
        }
        return e;
    }

    private static String[] keys(List<Object> keyList) {
        String[] out = new String[keyList.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = keyList.get(i).toString();
        }
        return out;
    }

    private static byte[][] bytes(Object[] args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i] instanceof byte[] b ? b : args[i].toString().getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString();
    }

    private static Map<String, String> digests(String... scripts) {
        Map<String, String> out = new IdentityHashMap<>();
        for (String lua : scripts) {
            try {
                out.put(
                        lua,
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-1")
                                        .digest(lua.getBytes(StandardCharsets.UTF_8))));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JVM", e);
            }
        }
        return out;
    }

    private static String script(String name) {
        try (InputStream in = RedisSessionRepository.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("script " + name + " is missing from the node's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
