package org.sessioncluster.contract;

/**
 * A node's counters and gauges at one moment ({@code GET /_node/metrics.json}): written by the node, read by the
 * meter of the load module (what a run cost each node) and by sessionctl (the heap during a soak). The same
 * figures are at {@code /_node/metrics} in Prometheus's text format, for a Prometheus server.
 *
 * @param node                    the node's name
 * @param mode                    its session mode
 * @param sessionsHeld            sessions it holds in memory
 * @param sessionBytesHeld        their serialized size
 * @param clusterPeers            peers on the cluster channel, or -1 when the mode has none
 * @param clusterSentBytes        bytes sent on the cluster channel, counted once per destination
 * @param clusterSentMessages     messages sent on the cluster channel, counted once per destination
 * @param clusterReceivedBytes    bytes received on the cluster channel
 * @param clusterReceivedMessages messages received on the cluster channel
 * @param storeWrittenBytes       bytes written to the shared session store (disk mode)
 * @param storeFsyncs             session saves forced to the device (disk mode with session.store.fsync)
 * @param sessionsDestroyed       sessions whose listeners this node told they were destroyed
 * @param redisRoundTrips         round trips the redis mode's manager made to Redis, or -1 in another mode
 * @param redisExpiryNotices      session expiries Redis announced that this node handled
 * @param heapUsedBytes           Java heap in use
 */
public record NodeMetrics(
        String node,
        String mode,
        long sessionsHeld,
        long sessionBytesHeld,
        long clusterPeers,
        long clusterSentBytes,
        long clusterSentMessages,
        long clusterReceivedBytes,
        long clusterReceivedMessages,
        long storeWrittenBytes,
        long storeFsyncs,
        long sessionsDestroyed,
        long redisRoundTrips,
        long redisExpiryNotices,
        long heapUsedBytes) {}
