/**
 * The one reader of {@code cluster-config/cluster.properties}: every key, its default, what it allows,
 * and the node table (names, hosts, ports) derived from it. Nodes, the CLI and (later) the balancer all
 * read the cluster through {@link org.sessioncluster.config.ClusterConfig}.
 */
package org.sessioncluster.config;
