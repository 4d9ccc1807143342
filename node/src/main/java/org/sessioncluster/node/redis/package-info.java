/**
 * The redis session mode: a lean Tomcat session manager of this project over Redis. One hash per session
 * (loaded in one round trip, saved in one that writes only what changed), a version number that refuses a
 * save over someone else's change, a per-request lock (in the JVM, or in Redis behind round-robin), an
 * optional in-memory copy for sticky balancing kept honest by invalidation messages, expiry by Redis TTL
 * with the session listeners told once cluster-wide. {@link org.sessioncluster.node.redis.RedisSessionManager}
 * is the Tomcat side, {@link org.sessioncluster.node.redis.RedisSessionRepository} the Redis side (its Lua
 * scripts are resources beside it).
 */
package org.sessioncluster.node.redis;
