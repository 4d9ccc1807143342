/**
 * The one reader of {@code cluster-config/cluster.properties}: every key, its default, what it allows,
 * and the node table (names, hosts, ports) derived from it. Nodes, the CLI and the balancer all read the
 * cluster through {@link org.sessioncluster.config.ClusterConfig}, from the same command-line options
 * ({@link org.sessioncluster.config.ConfigFileOptions}: {@code --config}, {@code --set}), and say how they
 * ended with the same {@link org.sessioncluster.config.ExitCodes}.
 */
package org.sessioncluster.config;
