package org.sessioncluster.contract;

/**
 * What a node says about itself at {@code GET /_node/status}: written by the node, read by sessionctl (is it up,
 * does it see its peers) and by the balancer (the dashboard's per-node figures).
 *
 * @param node                 the node's name
 * @param mode                 its session mode
 * @param channelPeers         peers on the Tribes channel, or -1 when the mode has none
 * @param mapPeers             peers of the backup manager's replicated map, or -1
 * @param sessions             sessions the node holds
 * @param heapUsedBytes        its used heap
 * @param clusterBytesSent     bytes the node sent to its peers (delta, backup)
 * @param clusterBytesReceived bytes it received from them
 * @param sessionStore         where sessions live, in words
 * @param redisTunnel          what the SSH tunnel to Redis carried (redis.ssh), or null when there is none
 */
public record NodeStatus(
        String node,
        String mode,
        int channelPeers,
        int mapPeers,
        int sessions,
        long heapUsedBytes,
        long clusterBytesSent,
        long clusterBytesReceived,
        String sessionStore,
        TunnelStatus redisTunnel) {

    /** True once the node sees the expected peers: on the channel, and (backup) in the replicated map. */
    public boolean seesPeers(int expected) {
        boolean channel = channelPeers < 0 || channelPeers >= expected;
        boolean map = mapPeers < 0 || mapPeers >= expected;
        return channel && map;
    }

    /**
     * The SSH tunnel a node reaches Redis through.
     *
     * @param state           up, reconnecting or down
     * @param connections     connections opened through it since start
     * @param openConnections connections open now
     * @param bytesOut        bytes sent to Redis through it
     * @param bytesIn         bytes received from Redis through it
     * @param reconnects      times the SSH session was made again
     */
    public record TunnelStatus(
            String state, long connections, long openConnections, long bytesOut, long bytesIn, long reconnects) {}
}
