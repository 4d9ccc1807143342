/**
 * The redisson mode: Redisson's stock Tomcat session manager against Redis, kept as the reference point
 * beside this project's own manager ({@code org.sessioncluster.node.redis}), with its store-down answer and
 * the optional wait for replicas ({@code redis.sync.replicas}).
 */
package org.sessioncluster.node.redisson;
