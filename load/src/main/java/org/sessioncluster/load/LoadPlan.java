package org.sessioncluster.load;

import java.time.Duration;

/**
 * What a load run does.
 *
 * @param users         concurrent virtual users (each its own session)
 * @param itemsPerVisit cart items added per visit
 * @param payloadBytes  bytes stored in the session once per visit (0: none)
 * @param think         pause between a user's requests
 * @param duration      stop after this long (null: only maxRequests bounds the run)
 * @param maxRequests   stop after about this many requests (each user checks before its next one, so at most users − 1 more; 0: only duration bounds the run)
 * @param logout        end each visit with a logout (else a user keeps one session for the whole run and ends
 *                      each visit with a checkout that empties the cart)
 */
public record LoadPlan(
        int users,
        int itemsPerVisit,
        int payloadBytes,
        Duration think,
        Duration duration,
        long maxRequests,
        boolean logout) {

    public LoadPlan {
        if (users < 1 || users > 10_000) {
            throw new IllegalArgumentException("users = " + users + " is not allowed; allowed: 1 to 10000");
        }
        if (itemsPerVisit < 0 || itemsPerVisit > 100) {
            throw new IllegalArgumentException("items = " + itemsPerVisit + " is not allowed; allowed: 0 to 100");
        }
        if (payloadBytes < 0) {
            throw new IllegalArgumentException(
                    "payload = " + payloadBytes + " is not allowed; allowed: 0 or more bytes");
        }
        if ((duration == null || duration.isZero()) && maxRequests <= 0) {
            throw new IllegalArgumentException("a load run needs a bound: a duration or a request count");
        }
        if (duration != null && (duration.isNegative() || duration.compareTo(Duration.ofHours(24)) > 0)) {
            throw new IllegalArgumentException("duration = " + duration + " is not allowed; allowed: up to 24 h");
        }
    }
}
