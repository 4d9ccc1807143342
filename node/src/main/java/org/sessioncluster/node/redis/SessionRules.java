package org.sessioncluster.node.redis;

import java.time.Duration;

/**
 * How the redis mode locks, refreshes and saves a session, fixed when the manager starts (from its bean
 * properties, {@link RedisSessionManagerSettings}).
 *
 * @param lockMode        which requests take the session's lock in Redis
 * @param lockLeaseMillis how long a lock lives in Redis without its holder releasing it
 * @param lockWaitMillis  how long a request waits for another request's lock
 * @param touchMillis     how often a session's expiry is pushed forward in Redis, and a kept copy checked
 * @param graceMillis     how long an expired session's data stays for its listeners to be told
 * @param syncReplicas    replicas that must acknowledge each save (WAIT), 0 for none
 * @param syncTimeout     how long a save waits for them
 * @param retryBudget     how long a command is tried again while the connection to Redis is down
 */
record SessionRules(
        SessionLockMode lockMode,
        long lockLeaseMillis,
        long lockWaitMillis,
        long touchMillis,
        long graceMillis,
        int syncReplicas,
        Duration syncTimeout,
        Duration retryBudget) {}
