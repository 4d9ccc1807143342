/**
 * What a node tells about itself: {@code /_node/status} (JSON, used to decide when a cluster is ready) and
 * {@code /_node/metrics} (Prometheus text: sessions held, their serialized bytes, cluster traffic, heap).
 */
package org.sessioncluster.node.metrics;
