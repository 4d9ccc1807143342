/**
 * The delta and backup modes: Tomcat's DeltaManager (every node holds every session) or BackupManager (one
 * backup per session) over a Tribes channel with static membership, the checks that keep a restarted or
 * partitioned node honest ({@code cluster.partition.policy}), and a filter for messages that arrive late.
 */
package org.sessioncluster.node.replication;
