/**
 * Session modes: which Tomcat {@code Manager} a node runs and how it is wired — StandardManager (local),
 * DeltaManager or BackupManager over a Tribes channel with static membership (delta, backup), or
 * Redisson's manager against Redis (redis).
 */
package org.sessioncluster.node.mode;
