package org.sessioncluster.node.redis;

import javax.net.ssl.SSLException;

/**
 * Why a Redis client could not start, in one sentence: a wrong password or an untrusted certificate says so.
 * Read from Redis's own reply text, which every client passes on, so no client's classes are needed here (a stock
 * Tomcat in redis mode has Jedis's jars only).
 */
public final class RedisConnectProblem {
    private RedisConnectProblem() {}

    public static String describe(Throwable failure, String where, boolean passwordGiven) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("WRONGPASS") || m.contains("invalid password")) {
                return "Redis at " + where + " refused the password (redis.password"
                        + (passwordGiven ? "" : ", empty here") + " / redis.username or the env REDIS_PASSWORD): "
                        + firstLine(m);
            }
            if (m.contains("NOAUTH")) {
                return "Redis at " + where + " requires a password: set redis.password (or the env REDIS_PASSWORD)";
            }
            if (m.contains("without any password configured")) {
                return "Redis at " + where
                        + " has no password, but redis.password is set: clear redis.password or give Redis"
                        + " requirepass";
            }
            if (m.contains("Not all slots covered")) {
                // Redisson: "Not all slots covered! Only N slots are available. Set checkSlotsCoverage = false ..."
                java.util.regex.Matcher n =
                        java.util.regex.Pattern.compile("Only (\\d+) slots").matcher(m);
                return "the Redis Cluster at " + where + " does not serve all 16384 slots"
                        + (n.find() ? " (only " + n.group(1) + " have a primary)" : "")
                        + ": a shard is missing or slots are unassigned; `sessionctl status` names the missing"
                        + " slot ranges (fix with redis-cli --cluster fix)";
            }
            if (t instanceof SSLException) {
                return "TLS with Redis at " + where + " failed (is the address rediss:// for a TLS port, and does"
                        + " redis.tls.truststore hold its CA?): " + firstLine(m);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // the innermost reason ("Connection refused: /127.0.0.1:6379"); its class name only when it says nothing else
        String reason = root.getMessage() == null || root.getMessage().isBlank()
                ? root.getClass().getSimpleName()
                : firstLine(root.getMessage());
        return "cannot open the session store at " + where + ": " + reason;
    }

    private static String firstLine(String text) {
        int cut = text.indexOf(". channel:");
        String s = cut > 0 ? text.substring(0, cut) : text;
        int nl = s.indexOf('\n');
        return nl > 0 ? s.substring(0, nl) : s;
    }
}
